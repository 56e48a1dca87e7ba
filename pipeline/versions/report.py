"""A `DatasetDiff` as text: a terminal table, Markdown for a pull request, JSON for machines.

Reads: a `DatasetDiff`. Writes: strings (the HTML rendering is the review page, `pipeline.versions.review`).
Every value and evidence comes from the page, which is untrusted: Markdown escapes it so that
nothing in it can turn into markup or links.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Optional

from pipeline.versions.compare import FieldChange, Side
from pipeline.versions.diff import DatasetDiff, OrgDiff

EVIDENCE_WIDTH = 120
# Inline specials only: every untrusted text sits after a table pipe or a heading marker.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]|~!])")
ARROW = "→"


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
            "values_changed": sum(len(o.changes) for o in diff.organisations if o.status == "changed")}


def summary_line(diff: DatasetDiff) -> str:
    s = summary(diff)
    return (f"{diff.old_label} {ARROW} {diff.new_label}: {s['added']} added, {s['removed']} removed, "
            f"{s['changed']} changed ({s['renamed']} renamed, {s['values_changed']} values), "
            f"{s['unchanged']} unchanged organisations")


def schema_lines(diff: DatasetDiff) -> list[str]:
    lines = []
    for change in diff.schema:
        parts = [f"+{c}" for c in change.added] + [f"-{c}" for c in change.removed]
        lines.append(f"schema of {change.table}: {' '.join(parts)}")
    for source, old, new in diff.sources:
        lines.append(f"source {source}: sha256 {old[:12] or '(none)'} {ARROW} {new[:12] or '(none)'}")
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
    return "\n".join(lines) + "\n"


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
            lines.append(f"| {md(c.field)} | {c.kind} | {old} | {new} | {old_ev} | {new_ev} |")
    return "\n".join(lines) + "\n"


# --- JSON -------------------------------------------------------------------------------


def to_json(diff: DatasetDiff) -> str:
    """The diff as a JSON document (sorted keys, stable)."""
    data = dataclasses.asdict(diff)
    for org, raw in zip(diff.organisations, data["organisations"]):
        raw["renamed"] = org.renamed
    data["sources"] = [{"source_file": f, "old_sha256": o, "new_sha256": n}
                       for f, o, n in diff.sources]
    data["summary"] = summary(diff)
    data["exit_code"] = diff.exit_code
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


FORMATS = {"text": to_text, "markdown": to_markdown, "json": to_json}
