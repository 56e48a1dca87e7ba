"""Extract: `Entry`s + the rules in `rules/` -> facts with provenance.

In: entries and the documents they come from; the pattern and vocabulary files (`rules`
loads them), from which `nlp` builds one spaCy pipeline (blank English, host, date and place
entities, the field rules: one ruler per pattern file, matched in one pass). Out: one
`Extraction` per entry (org_id, facts with offsets, evidence and rule id, agreement mentions)
and `Issue`s for matches not used. `parallel` spreads the matching over processes.
"""
