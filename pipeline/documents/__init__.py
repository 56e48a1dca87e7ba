"""Documents: the PDFs a page links to (agreements), read safely and tied to their entries.

In: PDF files listed in `raw/sources.yaml`. Each is read by pdfplumber in a worker process
under time, memory and size limits (`pdf`, `pdf_worker`). Out: `PdfDocument`s (page texts),
facts read from them (`pdf_facts`: title, date, parties) and the columns that link an
agreement row to its PDF (`linking`).
"""
