"""Render a CorpusScore: the Markdown table, the per-page details and the JSON figures."""

from __future__ import annotations

from typing import Any, Optional

from pipeline.evaluation.score import FIELDS, CorpusScore, Counts, PageScore


def markdown_table(totals: dict[str, Counts]) -> str:
    """The per-field table (field, TP, FP, FN, precision, recall, F1) as Markdown."""
    lines = ["| field | TP | FP | FN | precision | recall | F1 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name in FIELDS:
        c = totals[name]
        lines.append(f"| {name} | {c.tp} | {c.fp} | {c.fn} | {c.precision:.3f} | "
                     f"{c.recall:.3f} | {c.f1:.3f} |")
    return "\n".join(lines)


def page_summary(page: PageScore) -> str:
    """One line of a page's counts per field."""
    return " · ".join(f"{name} {c.tp}/{c.fp}/{c.fn}" for name, c in page.counts.items())


def page_details(page: PageScore) -> str:
    """What one page got wrong (FP) and missed (FN), with the organisations' names."""
    lines = [f"### {page.file}", "", f"TP/FP/FN: {page_summary(page)}", ""]
    if page.error:
        lines += [f"- **run failed**: {page.error}"]
    # alignments on anything but the exact name are worth seeing: they explain the other lines
    lines += [f"- aligned ({p.basis}): predicted {p.predicted!r} ~ gold {p.gold!r}"
              for p in page.pairs if p.basis != "name"]
    for name in FIELDS:
        for kind, what in (("FP", "wrong"), ("FN", "missed")):
            for m in (m for m in page.misses if m.field == name and m.kind == kind):
                if not m.value:
                    value = ""
                else:  # an entry's value is the predicted row's org_id, a field's its value
                    value = f" [{m.value}]" if name == "entries" else f": {m.value!r}"
                lines.append(f"- {kind} {name} ({what}): {m.org}{value}")
    if len(lines) == 4:
        lines.append("- nothing wrong or missed")
    return "\n".join(lines) + "\n"


def details(score: CorpusScore) -> str:
    """The detail view: one section per page."""
    return "\n".join(page_details(p) for p in score.pages)


def figures(score: CorpusScore, corpus: str) -> dict[str, Any]:
    """The figures as a JSON-ready dict: totals per field, then counts and misses per page."""
    return {
        "corpus": corpus,
        "pages": len(score.pages),
        "failed_pages": [p.file for p in score.pages if p.error],
        "fields": {name: score.totals[name].as_dict() for name in FIELDS},
        "per_page": [
            {"file": p.file, "error": p.error,
             "fields": {name: {"tp": c.tp, "fp": c.fp, "fn": c.fn}
                        for name, c in p.counts.items()},
             "aligned": [{"predicted": a.predicted, "gold": a.gold, "basis": a.basis}
                         for a in p.pairs],
             "misses": [{"field": m.field, "kind": m.kind, "org": m.org, "value": m.value}
                        for m in p.misses]}
            for p in score.pages],
    }


def below_thresholds(totals: dict[str, Counts], min_precision: Optional[float],
                     min_f1: Optional[float]) -> list[str]:
    """One message per field whose precision or F1 is under its threshold."""
    out = []
    for name in FIELDS:
        c = totals[name]
        if min_precision is not None and c.precision < min_precision:
            out.append(f"{name}: precision {c.precision:.3f} < {min_precision}")
        if min_f1 is not None and c.f1 < min_f1:
            out.append(f"{name}: F1 {c.f1:.3f} < {min_f1}")
    return out
