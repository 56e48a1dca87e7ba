"""Extract: `Entry`s + the rules in `rules/` -> facts with provenance.

In: entries and the documents they come from; the pattern and vocabulary files (`rules` loads
them), from which `nlp` builds one spaCy pipeline (blank English, host and place entities, span
rulers). Out: one `Extraction` per entry (org_id, facts with offsets, evidence and rule id,
agreement mentions) and `Issue`s for matches not used. `parallel` spreads the matching over
processes.
"""
