"""Evaluation on an annotated corpus of real pages: per-field precision, recall and F1.

`corpus` reads the manifest and gold records, `host` turns a page's host names into the
pipeline's host options, `runner` runs `partners run` on each page and reads its CSV files,
`score` aligns predictions with gold and counts, `report` renders, `cli` is the command
(`python -m pipeline.evaluation`; `add_arguments` and `main` are ready for `partners eval`).
"""
