"""Dataset: extractions -> the published dataset in `extracted/`.

In: `Extraction`s, documents, issues and curator overrides (`rules/overrides.yaml`). Out:
organisations, facts and agreements as CSV and Parquet (their columns derived from
`pipeline.model`), `datapackage.json`, `metrics.json` and `issues.jsonl`, written in a staging
folder and moved into place only when complete. `datacard` renders the column tables of the README.
"""
