"""Segment: `Document`s (text and blocks) -> `Entry`s, one per organisation the page describes.

In: documents with their blocks. Out: entries with their character spans, heading labels
(group, acronym, name) and paragraphs; an `Accounting` per document saying where every
paragraph and block went (entries, preamble, group headings, boilerplate, unused); `Issue`s
where the structure is doubtful. `candidates` finds the structures that could repeat, `units`
cuts one into units and groups, `segmenter` scores and chooses, `labels` reads heading text.
Pure: no file is read or written here.
"""
