"""Versions: a published dataset read back as a value, and what changed between two of them.

In: two dataset folders (or git revisions). Out: organisations matched across versions
(`org_matching`), field-level changes (`compare`, `diff`), reports in text, Markdown, JSON and
CSV (`report`), and one self-contained HTML page to check every value against its evidence
(`review`). Reads only the dataset and its sources; never runs the pipeline.
"""
