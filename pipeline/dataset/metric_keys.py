"""The key sets of metrics.json's counts: every fact field, host relationship and issue reason a
run can write, fixed by the code and the rules (`rules/`), never by what happened to occur.

A count at zero stays a key, so `dvc metrics diff` and `partners diff` show `1 → 0` rather than
a key that vanished. Reads: the loaded `Rules`. Writes: a `MetricKeys` value (`metrics.py`).
`tests/dataset/test_metric_keys.py` checks that every reason and field the code writes is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Fact fields the code gives; the rules add the labels of the pattern files whose label is the
# fact's field (LABEL_FIELDS: "alias", "former_name", "secretariat", ...).
FIELDS = ("name", "acronym", "group", "founded", "headquarters", "membership",
          "founding_members", "host_relationship", "agreement", "website", "url", "flag",
          # read from a linked agreement PDF (pipeline.documents.pdf_facts)
          "agreement_kind", "document_title", "party", "signature_date", "effective_date")
LABEL_FIELDS = ("names", "headquarters")

# Issue reasons by the stage that writes them (README: "What happens with bad input").
REASONS = (
    # ingest (the pdf stage reads files the same way: its missing, outside_raw, ... too)
    "missing", "sha256_mismatch", "outside_raw", "special_file", "unreadable", "binary",
    "empty", "not_a_page", "no_text_layer", "mojibake",
    # pdf: checked on the bytes, reported by the worker, or seen when the worker fails
    "too_large", "not_a_pdf", "truncated", "encrypted", "malformed", "too_many_pages",
    "compression_bomb", "memory_limit", "time_limit", "worker_failed",
    # segment
    "no_entries_recognised", "doubtful_structure", "two_names_in_heading", "possible_merge",
    # extract: the rows' flags are issues too
    "duplicate_organisation", "shared_acronym", "acronym_mismatch", "acronym_variant",
    # extract: the id registry (rules/org_ids.yaml)
    "new_org_id", "kept_org_id",
    # linking an agreement to its PDF
    "document_date_mismatch",
    # export: curator overrides
    "override_applied", "override_suppressed", "stale_override", "ambiguous_override",
)
# A pattern's match the extractor did not use, reported as `not_used:<why>`; besides these,
# `count_after_<word>` (rules/vocabularies.yaml not_membership_context) and `object_of_<word>`
# (other_party_prepositions).
NOT_USED = ("numeric_date_ambiguous", "phrase_is_other_body", "subject_is_other_body",
            "indefinite_phrase", "count_of_other_noun", "count_without_context", "negated",
            "entry_not_named", "under_other_heading")


@dataclass(frozen=True)
class MetricKeys:
    """The keys metrics.json's counts always have (at zero when nothing was counted)."""

    facts_by_field: tuple[str, ...] = ()
    host_relationship: tuple[str, ...] = ()
    issues_by_reason: tuple[str, ...] = ()


def metric_keys(rules: Any) -> MetricKeys:
    """The keys a run with these rules can count."""
    labels = {p["label"] for name in LABEL_FIELDS for p in rules.patterns.get(name, [])}
    vocab = rules.vocab
    not_used = [*NOT_USED,
                *(f"count_after_{str(w).lower()}" for w in vocab.get("not_membership_context",
                                                                      [])),
                *(f"object_of_{str(w).lower()}" for w in vocab.get("other_party_prepositions",
                                                                    []))]
    return MetricKeys(
        facts_by_field=tuple(sorted(set(FIELDS) | labels)),
        host_relationship=tuple(sorted(t["term"] for t in rules.relationships)),
        issues_by_reason=tuple(sorted({*REASONS, *(f"not_used:{w}" for w in not_used)})))
