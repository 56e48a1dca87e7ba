"""The evidence review page: one self-contained HTML file, one card per organisation.

Reads: a `Dataset` (its organisations, facts and issues), the source texts its offsets refer to
(only those the dataset lists, each checked against its sha256: `pipeline.versions.sources`),
optionally a `DatasetDiff` against an older version. Writes: one HTML
page with inline style and script and a Content-Security-Policy that forbids any network use.

Each card shows the entry text (the source at the organisation's char_start:char_end) with every
extracted value highlighted and labelled with its field and rule id, the flags, all facts, and,
with a diff, the changes since the old version side by side. What the curator overrides did is
read from the dataset's own issues (`pipeline.versions.override_notes`): a corrected value is
marked with its override and reason, a suppressed one listed with them on its card, an override
that did nothing is among the run's issues. Filters: changed only, flagged only, by field.

Values are highlighted by `pipeline.versions.highlight`.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Iterable, Optional, Sequence

from pipeline.dataset.overrides import RULE_PREFIX
from pipeline.model import Fact, Issue, Organisation, source_span
from pipeline.versions.compare import Side, fact_to_text
from pipeline.versions.counts import CountChange
from pipeline.versions.diff import DatasetDiff, OrgDiff, display_name
from pipeline.versions.highlight import Mark, highlight
from pipeline.versions.override_notes import EFFECTS, OverrideNotes, override_notes
from pipeline.versions.report import (
    issue_text,
    location,
    schema_lines,
    summary_line,
    value_text,
)
from pipeline.versions.review_assets import CSP, CSS, JS
from pipeline.versions.sources import SourceText, SourceTexts
from pipeline.versions.version import Dataset

# --- sources ----------------------------------------------------------------------------


def entry_facts(org: Organisation, facts: Sequence[Fact], source: SourceText
                ) -> tuple[list[str], list[Fact]]:
    """Flags for the entry's own facts that cannot be checked or whose evidence is not at their
    offsets, and the facts that can be highlighted in the entry text."""
    if source.text is None:
        return [source.note], []
    flags = []
    own = [f for f in facts if in_entry_source(f, org)]  # not facts of linked documents
    good = [f for f in own if source.text[f.char_start:f.char_end] == f.evidence]
    if len(good) < len(own):
        flags.append(f"source_mismatch: {len(own) - len(good)} facts' evidence is not "
                     "at their offsets in the source file")
    inside = [f for f in good if org.char_start <= f.char_start and f.char_end <= org.char_end]
    if len(inside) < len(good):
        flags.append(f"outside_entry: {len(good) - len(inside)} facts lie outside the entry")
    return flags, inside


def page_fact_flags(facts: Sequence[Fact], texts: SourceTexts) -> list[str]:
    """Flags for facts read from linked PDFs: their page text missing or not verified, or their
    evidence not at their offsets in it."""
    notes: dict[str, None] = {}
    wrong = 0
    for fact in (f for f in facts if f.page is not None):
        page = texts.page_text(fact.source_file, fact.source_sha256)
        if page.text is None:
            notes[page.note] = None
        elif page.text[fact.char_start:fact.char_end] != fact.evidence:
            wrong += 1
    if wrong:
        notes[f"source_mismatch: {wrong} facts' evidence is not at their offsets in their "
              "PDF page text"] = None
    return list(notes)


def fact_mark(fact: Fact, origin: int, notes: OverrideNotes) -> Mark:
    made = notes.made(fact)
    title = f"{fact.field} = {fact_to_text(fact)} ({fact.rule_id})"
    if made:
        title += f", was {fact.raw_value!r}: {made.reason}"
    return Mark(fact.char_start - origin, fact.char_end - origin, fact.field,
                f"{fact.field} · {fact.rule_id}", title, made is not None)


def in_entry_source(fact: Fact, org: Organisation) -> bool:
    """True for facts read from the page itself (PDF facts index a linked document's page)."""
    return fact.source_file == org.source_file and fact.page is None


def fact_location(fact: Fact, page_source: str) -> str:
    """Offsets, with the file and page when the fact was read from a linked document."""
    where = "" if fact.source_file == page_source else fact.source_file
    where += f" p.{fact.page}" if fact.page else ""
    return f"{where} {fact.char_start}–{fact.char_end}".strip()


# --- cards ------------------------------------------------------------------------------


def side_cell(side: Optional[Side], css: str, note: str = "") -> str:
    note = f'<div class="where override">{escape(note)}</div>' if note else ""
    if side is None:
        return f'<td class="{css}">{note}</td>'
    where = (f'<div class="where">{escape(location(side))} {escape(side.rule_id)}</div>'
             if side.char_end else "")
    evidence = f'<div class="evidence">{escape(side.evidence)}</div>' if side.evidence else ""
    return f'<td class="{css}"><b>{escape(side.value)}</b>{evidence}{where}{note}</td>'


def changes_table(org_diff: OrgDiff) -> str:
    title = "Changes"
    if org_diff.renamed:
        title += (f" (renamed from {org_diff.old_name}, {org_diff.old_id};"
                  f" matched by {org_diff.match})")
    rows = "".join(f'<tr data-field="{escape(c.field)}"><th>{escape(c.field)}</th>'
                   f"<td>{escape(c.kind)}</td>{side_cell(c.old, 'old')}"
                   f"{side_cell(c.new, 'new', c.override)}</tr>"
                   for c in org_diff.changes)
    return (f'<section class="changes"><h3>{escape(title)}</h3><table><tr><th>field</th>'
            f"<th>change</th><th>old</th><th>new</th></tr>{rows}</table></section>")


def facts_table(facts: Sequence[Fact], notes: OverrideNotes, page_source: str) -> str:
    rows = []
    for f in facts:
        made = notes.made(f)
        reason = f"was {f.raw_value!r}: {made.reason}" if made else ""
        rule = escape(f.rule_id) + (f'<div class="where">{escape(reason)}</div>' if reason else "")
        rows.append(f"<tr><th>{escape(f.field)}</th><td>{escape(fact_to_text(f))}</td>"
                    f'<td>{rule}</td><td class="where">{escape(fact_location(f, page_source))}</td>'
                    f'<td class="evidence">{escape(f.evidence)}</td></tr>')
    return (f"<details class=\"facts\"><summary>{len(facts)} facts</summary><table><tr>"
            f"<th>field</th><th>value</th><th>rule</th><th>offsets</th><th>evidence</th></tr>"
            f"{''.join(rows)}</table></details>")


def suppressed_list(org: Organisation, notes: OverrideNotes) -> str:
    """The facts an override removed from this organisation, each with its reason."""
    items = "".join(
        f"<li><s>{escape(str(e.fact.get('field', '')))} = {escape(str(e.fact.get('value', '')))}"
        f"</s> «{escape(str(e.fact.get('evidence', '')))}» {escape(e.text('suppressed'))}</li>"
        for e in notes.suppressed.get(org.org_id, ()) if e.fact)
    return f'<ul class="flags suppressed">{items}</ul>' if items else ""


def card(org: Organisation, facts: Sequence[Fact], texts: SourceTexts, flags: list[str],
         org_diff: Optional[OrgDiff], notes: OverrideNotes) -> str:
    """One organisation's card: its entry text when the source is verified, else a flag saying
    why it is not shown (a removed organisation has `removed_card` instead)."""
    source = texts.entry_text(org.source_file, org.source_sha256)
    checks, inside = entry_facts(org, facts, source)
    flags = [*flags, *checks, *page_fact_flags(facts, texts)]
    entry = ""
    if source.text is not None:
        marks = [fact_mark(f, org.char_start, notes) for f in inside]
        entry = highlight(source.text[org.char_start:org.char_end], marks)
    status = org_diff.status if org_diff else "same"
    fields = sorted({f.field for f in facts} | {c.field for c in (org_diff.changes if org_diff else ())})
    badges = "" if status == "same" else f'<span class="badge {status}">{status}</span>'
    if org_diff is not None and org_diff.renamed:
        badges += '<span class="badge changed">renamed</span>'
    suppressed = suppressed_list(org, notes)
    if suppressed or any(f.rule_id.startswith(RULE_PREFIX) for f in facts):
        badges += '<span class="badge override">override</span>'
    if flags:
        badges += f'<span class="badge flag">{len(flags)} flag{"s" if len(flags) > 1 else ""}</span>'
    flag_list = "".join(f"<li>{escape(flag)}</li>" for flag in flags)
    return (f'<article class="card" id="org-{escape(org.org_id)}" data-org="{escape(org.org_id)}" '
            f'data-status="{status}" data-flagged="{1 if flags else 0}" '
            f'data-fields="{escape(" ".join(fields))}"><header><h2>{escape(display_name(org))}</h2>'
            f"<code>{escape(org.org_id)}</code>{badges}</header>"
            + (f'<div class="entry">{entry}</div>' if entry else "")
            + (f'<ul class="flags">{flag_list}</ul>' if flags else "") + suppressed
            + (changes_table(org_diff) if org_diff and org_diff.changes else "")
            + facts_table(facts, notes, org.source_file) + "</article>")


def issue_owners(orgs: Sequence[Organisation], issue: Issue) -> list[str]:
    """The organisations an issue is about: named by org_id, or its span inside their entry."""
    span = source_span(issue.source)  # "raw/page.txt:120-180"
    if span:
        name, start, end = span
        inside = [o.org_id for o in orgs if o.source_file == name
                  and o.char_start <= start and end <= o.char_end]
        if inside:
            return inside
    return [o.org_id for o in orgs if o.org_id in issue.source or o.org_id in issue.detail]


def issues_by_org(orgs: Sequence[Organisation], issues: Iterable[Issue]
                  ) -> tuple[dict[str, list[str]], list[Issue]]:
    """Issues about an organisation go on its card; the rest are the run's own. An override's
    effect is shown with the value it changed, not as a doubt."""
    attached: dict[str, list[str]] = defaultdict(list)
    loose = []
    for issue in issues:
        if issue.reason in EFFECTS:
            continue
        owners = issue_owners(orgs, issue)
        for owner in owners:
            attached[owner].append(f"{issue.reason}: {issue.detail}")
        if not owners:
            loose.append(issue)
    return attached, loose


def card_flags(org: Organisation, issues: Sequence[str]) -> list[str]:
    """The row's flags, then the issues about it that do not merely repeat a flag."""
    return [*org.flags, *(i for i in issues if not any(flag in i for flag in org.flags))]


def removed_card(org_diff: OrgDiff) -> str:
    fields = " ".join(sorted({c.field for c in org_diff.changes}))
    return (f'<article class="card" id="org-{escape(org_diff.old_id)}" '
            f'data-org="{escape(org_diff.old_id)}" data-status="removed" data-flagged="0" '
            f'data-fields="{escape(fields)}"><header><h2>{escape(org_diff.name)}</h2>'
            f'<code>{escape(org_diff.old_id)}</code><span class="badge removed">removed</span>'
            f"</header>{changes_table(org_diff)}</article>")


def count_rows(changes: Sequence[CountChange]) -> str:
    return "".join(f"<tr><th>{escape(c.key)}</th><td>{escape(value_text(c.old))}</td>"
                   f"<td>{escape(value_text(c.new))}</td></tr>" for c in changes)


def counts_section(diff: DatasetDiff) -> str:
    """The issues by reason (and the issues new or gone) and the metrics that changed."""
    out = ""
    issues = diff.issues
    if issues.changed:
        listed = "".join(f"<li>{kind}: {escape(issue_text(i))}</li>"
                         for kind, i in [*(("new", i) for i in issues.new),
                                         *(("gone", i) for i in issues.gone)])
        out += (f'<section class="changes"><h3>Issues {issues.old_total} → {issues.new_total}'
                f"</h3><table><tr><th>reason</th><th>old</th><th>new</th></tr>"
                f"{count_rows(issues.by_reason)}</table><ul>{listed}</ul></section>")
    if diff.metrics:
        out += ('<section class="changes"><h3>Metrics</h3><table><tr><th>metric</th>'
                f"<th>old</th><th>new</th></tr>{count_rows(diff.metrics)}</table></section>")
    return out


def controls(fields: Sequence[str], total: int) -> str:
    options = "".join(f'<option value="{escape(f)}">{escape(f)}</option>' for f in fields)
    return ('<div class="controls"><label><input type="checkbox" id="only-changed"> changed only'
            '</label><label><input type="checkbox" id="only-flagged"> flagged only</label>'
            f'<label>field <select id="field"><option value="">all</option>{options}</select>'
            f'</label><span><span id="shown">{total}</span> of {total} organisations shown</span>'
            "</div>")


def render_page(dataset: Dataset, diff: Optional[DatasetDiff] = None, *, root: Path = Path(".")
                ) -> str:
    """The whole review page as one HTML string."""
    notes = override_notes(dataset.issues)
    texts = SourceTexts(dataset, root)
    diffs = {d.new_id: d for d in diff.organisations if d.new_id} if diff else {}
    attached, loose = issues_by_org(dataset.organisations, dataset.issues)
    cards = [card(o, dataset.facts_of(o.org_id), texts,
                  card_flags(o, attached.get(o.org_id, [])), diffs.get(o.org_id), notes)
             for o in dataset.organisations]
    if diff:
        cards += [removed_card(d) for d in diff.organisations if d.status == "removed"]
    fields = sorted({f.field for f in dataset.facts}
                    | {c.field for d in (diff.organisations if diff else ()) for c in d.changes})
    title = f"Review of {dataset.label}" + (f" (changes since {diff.old_label})" if diff else "")
    run_issues = "".join(f"<li>{escape(i.stage)} · {escape(i.reason)} · {escape(i.source)}: "
                         f"{escape(i.detail)}</li>" for i in loose)
    summary = ""
    if diff:
        summary = "".join(f"<p>{escape(line)}</p>" for line in [summary_line(diff), *schema_lines(diff)])
        summary += counts_section(diff)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f'<header class="page"><h1>{escape(title)}</h1>{controls(fields, len(cards))}</header>'
            f"<main>{summary}"
            + (f'<details class="run-issues"><summary>{len(loose)} issue{"s" * (len(loose) > 1)} of the run</summary>'
               f"<ul>{run_issues}</ul></details>" if loose else "")
            + "".join(cards) + f"</main><script>{JS}</script></body></html>\n")
