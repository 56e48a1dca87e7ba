"""Agreement PDFs -> facts: title, kind, parties and signature/effective dates, with page offsets.

Reads: a `PdfDocument` (pipeline.documents.pdf); the kinds of rules/agreement_kinds.yaml, the
parties' grammar of rules/agreement_parties.yaml (shared with the page's extractor) and the
date cues of rules/agreement_document.yaml. Writes: `Fact`s whose `page` is the PDF page (from
1) and whose offsets index that page's text, so `page.text[char_start:char_end] == evidence`;
and a `DocumentSummary` with the `agreements` table's document columns. Pure: no I/O but the
loader.

How values are found (words come from the rule files; the shapes are here):
- matching runs on a view of the page text: its reading view (pipeline.ingest.reading_view:
  odd spaces plain, mojibake as meant, one character for one) in which ligatures (U+FB00-FB06)
  are their letters ("\ufb01" -> "fi"); an offset map takes every match back to the raw text,
  which is kept;
- title: the lines the worker found in the largest type on page 1; kind: the first kind of
  agreement_kinds.yaml with a phrase in the title, else on page 1;
- parties: "between X and Y"; a party ends at a document stop word, `,` `;` or `. `, or at the
  end of its line unless the line ends with a continuing word or the next line starts with "("
  or a lower-case letter;
- dates: day month year, month day, year, month year, ISO, or a year alone, checked by dateparser
  through `pipeline.extract.values.read_date` (English only, absolute dates only, no filled-in
  parts); precision says which parts the text states. A date is kept when a signature or
  effective cue precedes it in its sentence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from pipeline.extract.rules import (
    RULES_DIR,
    RuleError,
    load_agreement_kinds,
    load_party_grammar,
    load_yaml,
)
from pipeline.extract.values import read_date
from pipeline.ingest.reading_view import reading_view
from pipeline.model import Fact, PdfDocument, stable_id

LIGATURES = "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
# Date shapes; "day of" belongs to the shape "the 7th day of March 2014".
DATE_SHAPE = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s+day\s+of)?\s+(?P<m1>[A-Za-z]{3,9})\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[A-Za-z]{3,9})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,\s*(?P<y2>\d{4})"
    r"|(?P<m3>[A-Za-z]{3,9})\s+(?P<y3>\d{4})"
    r"|(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})"
    r"|(?P<y5>1[89]\d\d|2[01]\d\d)"
    r")(?![\w-])")
SENTENCE_END = re.compile(r"[.;:]\s")
REQUIRED_PARTS = {"day": ["day", "month", "year"], "month": ["month", "year"], "year": ["year"]}


@dataclass(frozen=True)
class AgreementRules:
    """The rule files as the patterns matched on a page's view."""

    kinds: tuple[tuple[str, re.Pattern], ...]       # (kind id, phrase pattern) in precedence
    party_open: re.Pattern
    party_stop: re.Pattern
    continues_after: frozenset
    date_cues: tuple[tuple[str, re.Pattern], ...]   # (role, cue pattern)
    date_window: int


@dataclass(frozen=True)
class DocumentSummary:
    """The `agreements` table's document columns for one linked PDF."""

    document: str
    document_sha256: str
    pages: int
    document_title: str
    document_date: str
    document_date_precision: str
    document_parties: tuple[str, ...]
    document_kind: str


def _phrase(words: list[str], where: str) -> re.Pattern:
    """One pattern for any of the phrases, a space between words matching any white space."""
    if not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise RuleError(f"{where}: expected a non-empty list of phrases (quote on/off/yes)")
    alts = sorted((r"\s+".join(map(re.escape, w.split())) for w in words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


def load_agreement_rules(folder: Path = RULES_DIR) -> AgreementRules:
    """The kinds, the parties' grammar and the date cues, as patterns; a bad entry is a
    RuleError naming the file and key."""
    kinds = load_agreement_kinds(folder)
    grammar = load_party_grammar(folder)
    cues_path = Path(folder) / "agreement_document.yaml"
    cues = load_yaml(cues_path)
    dates = (cues.get("dates") if isinstance(cues, dict) else None) or {}
    opening, separator = _phrase(grammar.open, "open"), _phrase(grammar.separator, "separator")
    return AgreementRules(
        kinds=tuple((k.id, _phrase(k.phrases, f"kinds: {k.id}")) for k in kinds),
        party_open=re.compile(opening.pattern + r"\s+(?P<a>.+?)\s+" + separator.pattern
                              + r"\s+(?P<b>[^\n]+)", re.IGNORECASE | re.DOTALL),
        party_stop=re.compile(r"[,;]|\.(?:\s|$)|" + _phrase(
            grammar.document_stops, "document.stops").pattern, re.IGNORECASE),
        continues_after=grammar.continues_after,
        date_cues=tuple((role, _phrase(dates.get(role), f"{cues_path}: dates.{role}"))
                        for role in ("signature", "effective")),
        date_window=int(dates.get("window", 80)))


def page_view(text: str) -> tuple[str, list[int]]:
    """The text as matched: its reading view, ligatures as letters; and the raw position of
    each view position (plus one past the end)."""
    return ligatures_as_letters(reading_view(text))


def ligatures_as_letters(text: str) -> tuple[str, list[int]]:
    """`text` with ligatures as letters, and for each view position its position in `text`."""
    view, index = [], []
    for i, ch in enumerate(text):
        letters = unicodedata.normalize("NFKC", ch) if ch in LIGATURES else ch
        view.append(letters)
        index.extend([i] * len(letters))
    index.append(len(text))
    return "".join(view), index


def raw_span(index: list[int], start: int, end: int) -> tuple[int, int]:
    """A view span as a raw-text span (a partly matched ligature counts whole)."""
    return index[start], (index[end - 1] + 1 if end > start else index[start])


def iso_date(text: str, precision: str) -> Optional[str]:
    """ISO date (YYYY-MM-DD, YYYY-MM or YYYY) of `text` at `precision`, or None."""
    parsed = read_date(text, ["en"], require_parts=REQUIRED_PARTS[precision])
    if parsed is None:
        return None
    return parsed.strftime({"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[precision])


def find_dates(view: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, iso date, precision) of every date shape in the view text."""
    for m in DATE_SHAPE.finditer(view):
        g = m.groupdict()
        if g["y4"]:
            text, precision = f"{g['y4']}-{g['m4']}-{g['d4']}", "day"
        elif g["y5"]:
            text, precision = g["y5"], "year"
        elif g["y3"]:
            text, precision = f"{g['m3']} {g['y3']}", "month"
        else:
            d, mo, y = (g["d1"], g["m1"], g["y1"]) if g["d1"] else (g["d2"], g["m2"], g["y2"])
            text, precision = f"{int(d)} {mo} {y}", "day"
        iso = iso_date(text, precision)
        if iso:
            yield m.start(), m.end(), iso, precision


def date_role(view: str, start: int, rules: AgreementRules) -> Optional[tuple[str, str]]:
    """(role, cue as written) of the nearest cue before `start` in the same sentence."""
    window_start = max(0, start - rules.date_window)
    window = view[window_start:start]
    ends = list(SENTENCE_END.finditer(window))
    if ends:
        window = window[ends[-1].end():]
    found = [(m.start(), role, m.group(0)) for role, cue in rules.date_cues
             for m in cue.finditer(window)]
    if not found:
        return None
    _, role, cue = max(found)
    return role, cue.lower()


def find_parties(view: str, rules: AgreementRules) -> Optional[list[tuple[int, int]]]:
    """View spans of the two parties of the first "between X and Y", or None."""
    m = rules.party_open.search(view)
    if not m:
        return None
    a_start, a_end = m.span("a")
    b_start = m.start("b")
    b_end = _party_end(view, b_start, rules)
    if "\n\n" in view[a_start:a_end] or b_end <= b_start:
        return None
    return [(a_start, a_end), (b_start, b_end)]


def _party_end(view: str, start: int, rules: AgreementRules) -> int:
    end = start
    while True:
        line_end = view.find("\n", end)
        line_end = len(view) if line_end < 0 else line_end
        stop = rules.party_stop.search(view, end, line_end)
        if stop:
            return len(view[start:stop.start()].rstrip()) + start
        words = view[start:line_end].split()
        following = view[line_end + 1:line_end + 2]
        if line_end >= len(view) or not (
                (words and words[-1].lower() in rules.continues_after)
                or following == "(" or following.islower()):
            return len(view[start:line_end].rstrip()) + start
        end = line_end + 1


class _PageFacts:
    """Builds facts for one page: view spans in, facts with raw offsets out."""

    def __init__(self, doc: PdfDocument, page_number: int, org_id: str):
        self.doc, self.page_number, self.org_id = doc, page_number, org_id
        self.text = doc.pages[page_number - 1].text
        self.view, self.index = page_view(self.text)

    def fact(self, field: str, value: str, start: int, end: int, rule_id: str,
             date: str = "", precision: str = "") -> Fact:
        """A fact of this page from a view span: raw offsets, evidence from the raw text."""
        s, e = raw_span(self.index, start, end)
        evidence = self.text[s:e]
        return Fact(
            fact_id=stable_id(self.org_id, field, value, self.doc.source_file, self.page_number,
                              s, e),
            org_id=self.org_id, field=field, value=value, date=date, date_precision=precision,
            evidence=evidence, source_file=self.doc.source_file,
            source_sha256=self.doc.source_sha256, char_start=s, char_end=e, rule_id=rule_id,
            page=self.page_number, raw_value=evidence)


def _clean(text: str) -> str:
    return " ".join(text.split())


def find_title(first: _PageFacts) -> Optional[tuple[int, int]]:
    """View span of the title (the lines in the largest type on page 1) in the page text."""
    lines = [page_view(ln)[0] for ln in first.doc.title_lines if ln.strip()]
    for candidate in ("\n".join(lines), lines[0] if lines else ""):
        at = first.view.find(candidate) if candidate else -1
        if at >= 0:
            return at, at + len(candidate)
    return None


def kind_fact(first: _PageFacts, title: Optional[tuple[int, int]],
              rules: AgreementRules) -> list[Fact]:
    """The kind of agreement: the first kind with a phrase in the title, else on page 1."""
    for lo, hi in ([title] if title else []) + [(0, len(first.view))]:
        for kind, phrase in rules.kinds:
            m = phrase.search(first.view, lo, hi)
            if m:
                return [first.fact("agreement_kind", kind, m.start(), m.end(), f"pdf.kind.{kind}")]
    return []


def pdf_facts(doc: PdfDocument, rules: AgreementRules, *, org_id: str = "") -> list[Fact]:
    """Title, kind, parties and dated signature/effective facts of one agreement PDF."""
    pages = [_PageFacts(doc, p.page_number, org_id) for p in doc.pages]
    if not pages:
        return []
    first = pages[0]
    title = find_title(first)
    facts = [first.fact("document_title", _clean(first.view[title[0]:title[1]]), *title,
                        "pdf.title.largest_type")] if title else []
    facts += kind_fact(first, title, rules)
    for page in pages:
        spans = find_parties(page.view, rules)
        if spans:
            facts += [page.fact("party", _clean(page.view[s:e]), s, e, "pdf.parties.between")
                      for s, e in spans]
            break
    for page in pages:
        for start, end, iso, precision in find_dates(page.view):
            role = date_role(page.view, start, rules)
            if role:
                facts.append(page.fact(f"{role[0]}_date", iso, start, end,
                                       f"pdf.date.{role[0]}.{role[1].replace(' ', '_')}",
                                       date=iso, precision=precision))
    return facts


def document_summary(doc: PdfDocument, facts: list[Fact]) -> DocumentSummary:
    """The document columns: the date is the latest signature date, else the first effective."""
    by_field: dict[str, list[Fact]] = {}
    for fact in facts:
        by_field.setdefault(fact.field, []).append(fact)
    signed = sorted(by_field.get("signature_date", []), key=lambda f: f.date)
    dated = signed[-1:] or by_field.get("effective_date", [])[:1]
    first = lambda field: by_field.get(field, [None])[0]  # noqa: E731
    return DocumentSummary(
        document=doc.source_file, document_sha256=doc.source_sha256, pages=len(doc.pages),
        document_title=first("document_title").value if first("document_title") else "",
        document_date=dated[0].date if dated else "",
        document_date_precision=dated[0].date_precision if dated else "",
        document_parties=tuple(f.value for f in by_field.get("party", [])),
        document_kind=first("agreement_kind").value if first("agreement_kind") else "")
