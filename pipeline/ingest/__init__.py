"""Ingest: raw files -> `Document`s (decoded text with its sha256, links with their spans).

In: paths in `raw/` (read through `sources.yaml`, whose hashes are checked) or given files.
Out: one `Document` per readable file (text, hashes, links, and its blocks: headings, items,
rows, cells, terms, paragraphs, lines with their spans, from `blocks` for text and Markdown,
`html_blocks` for HTML, `pdf_page` for a PDF given as the page), an `Issue` per unreadable
one. Also the reading view (`reading_view`): a same-length copy of a text in which odd spaces and mojibake are read as
meant, so offsets found on it are offsets into the source.
"""
