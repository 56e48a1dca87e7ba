"""Versions: a published dataset read back as a value, and what changed between two of them.

In: two dataset folders (or git revisions), every file of each read and checked (`version`,
`version_files`: a table's CSV and Parquet must agree). Out: organisations matched across
versions (`org_matching`), field-level changes (`compare`, `diff`), changes in the run's issues
and metrics (`counts`), reports in text, Markdown and JSON (`report`), and one self-contained
HTML page to check every value against its evidence (`review`, `highlight`), which shows only
source texts the dataset lists, with their sha256 (`sources`). Never runs the pipeline.
"""
