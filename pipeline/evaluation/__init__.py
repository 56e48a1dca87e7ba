"""Evaluation on an annotated corpus of real pages: per-field precision, recall and F1.

`corpus` reads the manifest and gold records, `host` turns a page's host names into the
pipeline's host options.
"""
