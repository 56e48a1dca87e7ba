"""Segment: `Document`s -> `Entry`s, one per organisation the page describes.

In: documents (their text). Out: entries with their character spans, heading, group and
paragraphs; an `Accounting` per document saying where every paragraph went (preamble, entry,
unused); `Issue`s where the layout is doubtful. Pure: no file is read or written here.
"""
