"""Acquire: bring a partner page and the documents it links to into `raw/`.

In: a URL (and the fetch limits of params.yaml). Out: files in `raw/` and their entries in
`raw/sources.yaml` (path, url, media type, sha256, capture date). The only code that opens a
network connection; everything after it reads files.
"""
