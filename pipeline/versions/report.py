"""A `DatasetDiff` as text: a terminal table, Markdown for a pull request, JSON for machines.

Reads: a `DatasetDiff`. Writes: strings (the HTML rendering is the review page, `pipeline.versions.review`).
Each format has the summary, the schema, the organisations that changed, the issues by reason
(with the issues that are new or gone) and the metrics that changed. Every value and evidence
comes from the page, which is untrusted: Markdown escapes it so that nothing in it can turn
into markup or links.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Optional

from pipeline.model import Issue
from pipeline.versions.compare import FieldChange, Side
from pipeline.versions.counts import CountChange
from pipeline.versions.diff import DatasetDiff, OrgDiff
from pipeline.versions.version import ISSUES_FILE, METRICS_FILE

EVIDENCE_WIDTH = 120
# Inline specials only: every untrusted text sits after a table pipe or a heading marker.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]|~!])")
ARROW = "→"
# Text and Markdown list this many new (and gone) issues; JSON lists them all.
ISSUE_LIST_LIMIT = 20


def clip(text: str, width: int = EVIDENCE_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def where(side: Side) -> str:
    if not side.source_file and not side.char_end:
        return ""
    rule = f" {side.rule_id}" if side.rule_id else ""
    return f"[{location(side)}{rule}]"


def location(side: Side) -> str:
    """file:start-end, with the page for a PDF (offsets then index that page's text)."""
    page = f" p.{side.page}" if side.page else ""
    return f"{side.source_file}{page}:{side.char_start}-{side.char_end}"


def org_title(org: OrgDiff) -> str:
    title = f"{org.name} ({org.new_id or org.old_id})"
    if org.renamed:
        title += f", renamed from {org.old_name} ({org.old_id}), matched by {org.match}"
    return title


def summary(diff: DatasetDiff) -> dict[str, int]:
    count = lambda status: sum(1 for o in diff.organisations if o.status == status)  # noqa: E731
    return {"added": count("added"), "removed": count("removed"), "changed": count("changed"),
            "renamed": sum(1 for o in diff.organisations if o.renamed),
            "unchanged": diff.unchanged,
            "values_changed": sum(len(o.changes) for o in diff.organisations if o.status == "changed"),
            "issue_reasons_changed": len(diff.issues.by_reason),
            "issues_new": len(diff.issues.new), "issues_gone": len(diff.issues.gone),
            "metrics_changed": len(diff.metrics)}


def counted(n: int, word: str) -> str:
    return f"{n} {word}" + ("s" if n != 1 and not word.endswith("s") else "")


def nonzero(*parts: tuple[int, str]) -> str:
    """'1 added, 2 changed': the parts whose count is not zero."""
    return ", ".join(f"{n} {word}" for n, word in parts if n)


def summary_line(diff: DatasetDiff) -> str:
    """One line over everything that changed; a count of zero is left out, so that a report
    whose only change is an issue never says "0 changed"."""
    s = summary(diff)
    inner = nonzero((s["renamed"], "renamed"), (s["values_changed"], "values"))
    orgs = nonzero((s["added"], "added"), (s["removed"], "removed"),
                   (s["changed"], "changed" + (f" ({inner})" if inner else "")))
    only = {f for f, _ in diff.files}
    issues = diff.issues
    if ISSUES_FILE in only:
        issues_part = "not compared"
    elif issues.changed:
        reasons = len(issues.by_reason)
        detail = nonzero((reasons, "reason changed" if reasons == 1 else "reasons changed"),
                         (len(issues.new), "new"), (len(issues.gone), "gone"))
        issues_part = f"{issues.old_total} {ARROW} {issues.new_total} ({detail})"
    else:
        issues_part = f"unchanged ({issues.new_total})"
    metrics_part = ("not compared" if METRICS_FILE in only else
                    f"{counted(len(diff.metrics), 'key')} changed" if diff.metrics else "unchanged")
    return (f"{diff.old_label} {ARROW} {diff.new_label}: organisations "
            f"{orgs or 'none changed'}, {s['unchanged']} unchanged; issues {issues_part}; "
            f"metrics {metrics_part}")


def schema_lines(diff: DatasetDiff) -> list[str]:
    lines = []
    for change in diff.schema:
        parts = [f"+{c}" for c in change.added] + [f"-{c}" for c in change.removed]
        lines.append(f"schema of {change.table}: {' '.join(parts)}")
    for name, side in diff.files:
        label = diff.old_label if side == "old" else diff.new_label
        lines.append(f"{name}: only in {label} (not compared)")
    for source, old, new in diff.sources:
        lines.append(f"source {source}: sha256 {old[:12] or '(none)'} {ARROW} {new[:12] or '(none)'}")
    return lines


def value_text(value) -> str:
    """A metric value as shown: JSON for anything but a plain string."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def issue_text(issue: Issue) -> str:
    """An issue in one line, what it says first: 'reason: detail [stage source]'."""
    return f"{issue.reason}: {issue.detail} [{issue.stage} {issue.source}]"


def listed_issues(diff: DatasetDiff) -> list[tuple[str, Issue]]:
    """The new and gone issues to list in text and Markdown, each direction capped."""
    rows = [("new", i) for i in diff.issues.new[:ISSUE_LIST_LIMIT]]
    return rows + [("gone", i) for i in diff.issues.gone[:ISSUE_LIST_LIMIT]]


def more_issues(diff: DatasetDiff) -> str:
    extra = max(0, len(diff.issues.new) - ISSUE_LIST_LIMIT) + \
        max(0, len(diff.issues.gone) - ISSUE_LIST_LIMIT)
    return f"… and {extra} more issues (--format json lists them all)" if extra else ""


def count_row(change: CountChange, width: int = 40) -> str:
    return f"  {change.key:<{width}} {value_text(change.old)} {ARROW} {value_text(change.new)}"


def count_lines(diff: DatasetDiff) -> list[str]:
    """The issues and metrics sections of the terminal report."""
    lines = []
    if diff.issues.changed:
        lines += ["", f"ISSUES   {diff.issues.old_total} {ARROW} {diff.issues.new_total}"]
        lines += [count_row(c) for c in diff.issues.by_reason]
        lines += [f"  {kind:<4} {clip(issue_text(i))}" for kind, i in listed_issues(diff)]
        lines += [f"  {more}" for more in [more_issues(diff)] if more]
    if diff.metrics:
        lines += ["", "METRICS"] + [count_row(c) for c in diff.metrics]
    return lines


# --- terminal ---------------------------------------------------------------------------


def change_row(change: FieldChange) -> str:
    old = change.old.value if change.old else ""
    new = change.new.value if change.new else ""
    return f"  {change.field:<18} {change.kind:<8} {clip(old, 40):<40} {ARROW} {clip(new, 40)}"


def evidence_rows(change: FieldChange) -> list[str]:
    rows = []
    for label, side in (("old", change.old), ("new", change.new)):
        if side is not None and side.evidence:
            rows.append(f"  {'':<18} {label:<8} «{clip(side.evidence)}» {where(side)}")
    return rows


def to_text(diff: DatasetDiff) -> str:
    """The diff as an aligned table for a terminal."""
    lines = [summary_line(diff), *schema_lines(diff)]
    for org in diff.organisations:
        lines += ["", f"{org.status.upper():<8} {org_title(org)}",
                  f"  {'FIELD':<18} {'CHANGE':<8} {'OLD':<40}   NEW"]
        for change in org.changes:
            lines.append(change_row(change))
            lines += evidence_rows(change)
            if change.override:
                lines.append(f"  {'':<18} {'override':<8} {clip(change.override)}")
    return "\n".join(lines + count_lines(diff)) + "\n"


# --- Markdown ---------------------------------------------------------------------------


def md(text: str) -> str:
    """Untrusted text as inert Markdown: specials escaped, no HTML, one line."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def md_side(side: Optional[Side]) -> tuple[str, str]:
    if side is None:
        return "", ""
    evidence = md(clip(side.evidence)) if side.evidence else ""
    if evidence and side.char_end:
        evidence += f" <sub>{md(location(side))}"
        evidence += f" {md(side.rule_id)}</sub>" if side.rule_id else "</sub>"
    return md(side.value), evidence


def to_markdown(diff: DatasetDiff) -> str:
    """The diff as Markdown, to paste into a pull request."""
    lines = ["## Dataset diff", "", "**Summary:** " + md(summary_line(diff)), ""]
    lines += [f"- {md(line)}" for line in schema_lines(diff)]
    for org in diff.organisations:
        lines += ["", f"### {org.status}: {md(org_title(org))}", "",
                  "| field | change | old | new | old evidence | new evidence |",
                  "|---|---|---|---|---|---|"]
        for c in org.changes:
            (old, old_ev), (new, new_ev) = md_side(c.old), md_side(c.new)
            if c.override:  # said where the new value's provenance is
                new_ev = " ".join(p for p in (new_ev, f"*{md(clip(c.override))}*") if p)
            lines.append(f"| {md(c.field)} | {c.kind} | {old} | {new} | {old_ev} | {new_ev} |")
    return "\n".join(lines + count_markdown(diff)) + "\n"


def count_table(title: str, changes: tuple[CountChange, ...]) -> list[str]:
    return (["", f"| {title} | old | new |", "|---|---|---|"]
            + [f"| {md(c.key)} | {md(value_text(c.old))} | {md(value_text(c.new))} |"
               for c in changes])


def count_markdown(diff: DatasetDiff) -> list[str]:
    """The issues and metrics sections of the Markdown report."""
    lines = []
    if diff.issues.changed:
        lines += ["", f"### Issues: {diff.issues.old_total} {ARROW} {diff.issues.new_total}"]
        if diff.issues.by_reason:
            lines += count_table("reason", diff.issues.by_reason)
        listed = listed_issues(diff)
        if listed:
            lines += [""] + [f"- {kind}: {md(issue_text(i))}" for kind, i in listed]
            lines += [f"- {md(more)}" for more in [more_issues(diff)] if more]
    if diff.metrics:
        lines += ["", "### Metrics"] + count_table("metric", diff.metrics)
    return lines


# --- JSON -------------------------------------------------------------------------------


def to_json(diff: DatasetDiff) -> str:
    """The diff as a JSON document (sorted keys, stable)."""
    data = dataclasses.asdict(diff)
    for org, raw in zip(diff.organisations, data["organisations"]):
        raw["renamed"] = org.renamed
    data["sources"] = [{"source_file": f, "old_sha256": o, "new_sha256": n}
                       for f, o, n in diff.sources]
    data["files"] = [{"file": f, "only_in": side} for f, side in diff.files]
    data["summary"] = summary(diff)
    data["exit_code"] = diff.exit_code
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


FORMATS = {"text": to_text, "markdown": to_markdown, "json": to_json}
