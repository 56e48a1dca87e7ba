"""The IAP page rendered in other layouts, for the layout-invariance test (tests/test_layouts.py).

Reads: the bundled page (raw/iap-co-operation-with-others.txt), with a test-local reading of
its one known layout, independent of the pipeline: a title, an introduction, then paragraphs
that open with `[Group - ] ACR - Name - body` (any of group, acronym and name may be missing;
the parts are separated by a hyphen with space on at least one side), each followed by the
paragraphs of its entry that have no heading.
Writes: nothing; each layout is a function `Page -> (filename, bytes)`, registered in LAYOUTS.

The body paragraphs are the same characters in every layout (HTML escapes them; the `crlf_tabs`
layout, which changes whitespace on purpose, is the exception); only headings and markup change.
A heading keeps the page's own parts: an entry whose heading gives no name ("ICC") or no
acronym ("Comnet") is rendered without one. The entries of a group are rendered together as the
page's last section (`reading_order`): a section heading reaches the next heading of its level
or the end of the page, so an entry placed after a group section would read as its member.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "raw" / "iap-co-operation-with-others.txt"
FONTS = Path("/usr/share/fonts/truetype/dejavu")

SEPARATOR = re.compile(r"[ \t\u00a0]+-[ \t\u00a0]*|[ \t\u00a0]*-[ \t\u00a0]+")
ACRONYM = re.compile(r"[A-Z][A-Z0-9&]+(?:/[A-Z][A-Z0-9&]+)*")
NAME_ACRONYM = re.compile(r"(.+?) \((" + ACRONYM.pattern + r")\)")
LABEL = re.compile(r"[^.,;:!?()]{1,80}(?: \([A-Z/]+\))?")  # no sentence punctuation, short


@dataclass(frozen=True)
class Entry:
    group: Optional[str]
    acronym: Optional[str]   # as written: "AIDP/IAPL"
    name: Optional[str]      # as written: "The International Association of ..."
    paragraphs: tuple[str, ...]

    def acr_name(self, dash: str = "–") -> str:
        return f" {dash} ".join(p for p in (self.acronym, self.name) if p)

    def name_acr(self) -> str:
        if self.acronym and self.name:
            return f"{self.name} ({self.acronym})"
        return self.name or self.acronym


@dataclass(frozen=True)
class Page:
    title: str
    intro: str
    entries: tuple[Entry, ...]   # page order


def _heading_parts(paragraph: str) -> tuple[list[str], str]:
    """The label parts a paragraph opens with, and the rest (the body)."""
    parts, pos = [], 0
    while (sep := SEPARATOR.search(paragraph, pos)) and LABEL.fullmatch(paragraph[pos:sep.start()]):
        parts.append(paragraph[pos:sep.start()])
        pos = sep.end()
    rest = paragraph[pos:]
    if parts and LABEL.fullmatch(rest):  # "MEDEL - Magistrats européen ...": no body at all
        parts, rest = parts + [rest], ""
    return parts, rest


def parse_page(text: str) -> Page:
    title, intro, *paragraphs = text.split("\n\n")
    cut = [_heading_parts(p) for p in paragraphs]
    leads = Counter(parts[0] for parts, _ in cut if len(parts) >= 2)
    entries: list[tuple[Optional[str], list[str], list[str]]] = []
    for (parts, rest), paragraph in zip(cut, paragraphs):
        if not parts:  # a paragraph without a heading belongs to the entry above
            entries[-1][2].append(paragraph)
            continue
        group = None
        if len(parts) >= 2 and leads[parts[0]] >= 2 and not ACRONYM.fullmatch(parts[0]) \
                and ACRONYM.fullmatch(parts[1]):
            group, parts = parts[0], parts[1:]
        entries.append((group, parts, [rest] if rest else []))
    return Page(title, intro, tuple(_entry(g, parts, body) for g, parts, body in entries))


def _entry(group: Optional[str], parts: list[str], body: list[str]) -> Entry:
    acronyms, names = [], []
    for part in parts:
        paren = NAME_ACRONYM.fullmatch(part)
        if ACRONYM.fullmatch(part):
            acronyms.append(part)
        elif paren:  # "Ibero American Association of Public Prosecutors (AIMP)"
            names.append(paren.group(1))
            acronyms.append(paren.group(2))
        else:
            names.append(part)
    assert len(acronyms) <= 1 and len(names) <= 1 and parts, parts
    return Entry(group, (acronyms or [None])[0], (names or [None])[0], tuple(body))


@lru_cache(maxsize=None)
def page() -> Page:
    return parse_page(PAGE.read_text(encoding="utf-8"))


def reading_order(p: Page) -> list[tuple[Optional[str], list[Entry]]]:
    """(group, entries) sections: the entries without a group, then each group's."""
    groups: dict[Optional[str], list[Entry]] = {None: []}
    for e in p.entries:
        groups.setdefault(e.group, []).append(e)
    return list(groups.items())


# --- HTML --------------------------------------------------------------------------------------

def esc(text: str) -> str:
    return html.escape(text, quote=False)


def _doc(title: str, body: list[str], head: str = "") -> bytes:
    return "\n".join(["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
                      f"<title>{esc(title)}</title>", head, "</head>", "<body>", *body,
                      "</body>", "</html>", ""]).encode("utf-8")


def _paras(paragraphs) -> str:
    return "".join(f"<p>{esc(x)}</p>" for x in paragraphs)


CMS_MENU = ("Home", "About", "Members", "Conferences", "Publications", "News", "Contact")


def html_cms(p: Page) -> tuple[str, bytes]:
    """A CMS page: skip link, menu, breadcrumbs, <h2> group sections, <h3> entries, footer."""
    menu = "".join(f'<li><a href="/{m}">{m}</a></li>' for m in CMS_MENU)
    body = ['<a class="skip-link" href="#content">Skip to main content</a>',
            f'<header><a href="/"><img src="/logo.png" alt="IAP"></a><nav class="menu"><ul>{menu}'
            '</ul></nav></header>',
            '<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/About">About</a>'
            '</li><li>Co-operation With Others</li></ol>',
            '<main id="content"><article>', f"<h1>{esc(p.title)}</h1>", f"<p>{esc(p.intro)}</p>"]
    for group, entries in reading_order(p):
        if group:
            body.append(f"<section><h2>{esc(group)}</h2>")
        body += [f"<h3>{esc(e.acr_name())}</h3>{_paras(e.paragraphs)}" for e in entries]
        if group:
            body.append("</section>")
    body += ["</article></main>",
             '<footer><p>© 2026 International Association of Prosecutors. All rights reserved.'
             '</p><ul><li><a href="/Privacy">Privacy policy</a></li><li><a href="/Terms">Terms of'
             ' use</a></li><li><a href="/Contact">Contact us</a></li></ul></footer>']
    head = '<link rel="stylesheet" href="/css/site.css"><script src="/js/menu.js"></script>'
    return "iap-cms.html", _doc("Co-operation With Others | IAP", body, head)


def _intro(p: Page) -> list[str]:
    return [f"<h1>{esc(p.title)}</h1>", f"<p>{esc(p.intro)}</p>"]


def html_list(p: Page) -> tuple[str, bytes]:
    """One <li> per entry, its heading in <strong>; a group is a nested list."""
    def item(e: Entry) -> str:
        first, *rest = e.paragraphs or ("",)
        text = f" {esc(first)}" if first else ""
        return f"<li><strong>{esc(e.acr_name())}</strong>{text}{_paras(rest)}</li>"

    body = _intro(p) + ["<ul>"]
    for group, entries in reading_order(p):
        items = [item(e) for e in entries]
        body += [f"<li><strong>{esc(group)}</strong><ul>", *items, "</ul></li>"] if group else items
    return "iap-list.html", _doc(p.title, body + ["</ul>"])


def html_table(p: Page) -> tuple[str, bytes]:
    """A table (Organisation | Acronym | Description); a group is a <tbody> with a heading row."""
    body = _intro(p) + ["<table>", "<thead><tr><th>Organisation</th><th>Acronym</th>"
                        "<th>Description</th></tr></thead>"]
    for group, entries in reading_order(p):
        body.append("<tbody>")
        if group:
            body.append(f'<tr><th colspan="3">{esc(group)}</th></tr>')
        body += [f"<tr><td>{esc(e.name or '')}</td><td>{esc(e.acronym or '')}</td>"
                 f"<td>{_paras(e.paragraphs)}</td></tr>" for e in entries]
        body.append("</tbody>")
    return "iap-table.html", _doc(p.title, body + ["</table>"])


def html_dl(p: Page) -> tuple[str, bytes]:
    """A definition list: <dt>Name (ACR)</dt><dd>body</dd>; a group is a nested list."""
    def pair(e: Entry) -> str:
        return f"<dt>{esc(e.name_acr())}</dt><dd>{_paras(e.paragraphs)}</dd>"

    body = _intro(p) + ["<dl>"]
    for group, entries in reading_order(p):
        pairs = [pair(e) for e in entries]
        body += [f"<dt>{esc(group)}</dt><dd><dl>", *pairs, "</dl></dd>"] if group else pairs
    return "iap-dl.html", _doc(p.title, body + ["</dl>"])


# --- text --------------------------------------------------------------------------------------

def _text(p: Page, heading: Callable[[Entry, int], str],
          group: Optional[Callable[[str], str]], gap: str = "\n\n") -> str:
    """Title, intro, then per entry its heading line (the n-th, from 1), `gap` and its paragraphs
    (a blank line apart); a group's line, if `group` renders one, above its entries."""
    blocks, n = [p.title, p.intro], 0
    for name, entries in reading_order(p):
        if name and group:
            blocks.append(group(name))
        for e in entries:
            n += 1
            blocks.append(heading(e, n) + (gap + "\n\n".join(e.paragraphs) if e.paragraphs else ""))
    return "\n\n".join(blocks) + "\n"


def dash(p: Page) -> tuple[str, bytes]:
    """The page's own layout, `[Group - ]ACR - Name - body`, re-rendered from the parse: the
    control, which the pipeline reads today."""
    def heading(e: Entry, n: int) -> str:
        return " - ".join(x for x in (e.group, e.acronym, e.name) if x)

    return "iap-dash.txt", _text(p, heading, None, gap=" - ").encode("utf-8")


def markdown(p: Page) -> tuple[str, bytes]:
    """`# Title`, `## ACR — Name` per entry; a group is a `#` heading (above the entries' level)."""
    text = _text(p, lambda e, n: f"## {e.acr_name('—')}", lambda g: f"# {g}")
    return "iap.md", f"# {text}".encode("utf-8")


def name_acr_lines(p: Page) -> tuple[str, bytes]:
    """`Name (ACR)` on a line of its own, a blank line, then the body."""
    return "iap-name-acr.txt", _text(p, lambda e, n: e.name_acr(), str).encode("utf-8")


def capitals(p: Page) -> tuple[str, bytes]:
    """Headings (and the group) in CAPITALS, `AMERICAN BAR ASSOCIATION (ABA)`; body as it is."""
    return "iap-capitals.txt", _text(p, lambda e, n: e.name_acr().upper(),
                                     str.upper).encode("utf-8")


def acr_colon(p: Page) -> tuple[str, bytes]:
    """`ACR: Name` on its own line, the body on the next line."""
    def heading(e: Entry, n: int) -> str:
        return f"{e.acronym}: {e.name}" if e.acronym and e.name else e.name_acr()

    return "iap-acr-colon.txt", _text(p, heading, str, gap="\n").encode("utf-8")


def numbered(p: Page) -> tuple[str, bytes]:
    """`1. Name (ACR)` items, the body on the next line; the group is an unnumbered line."""
    return "iap-numbered.txt", _text(p, lambda e, n: f"{n}. {e.name_acr()}", str,
                                     gap="\n").encode("utf-8")


def crlf_tabs(p: Page) -> tuple[str, bytes]:
    """The page as published with CRLF line ends, every 13th space a tab and every 17th two
    spaces (words intact; no-break spaces untouched)."""
    count = iter(range(1, 10 ** 9))

    def space(_match) -> str:
        n = next(count)
        return "\t" if n % 13 == 0 else "  " if n % 17 == 0 else " "

    text = re.sub(" ", space, PAGE.read_text(encoding="utf-8"))
    return "iap-crlf-tabs.txt", text.replace("\n", "\r\n").encode("utf-8")


# --- PDF ---------------------------------------------------------------------------------------

# Only used when DejaVu is missing: the core fonts cover Latin-1 alone.
TO_LATIN1 = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                           "•": "*"})


def pdf_fonts() -> Optional[tuple[Path, Path]]:
    regular, bold = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
    return (regular, bold) if regular.exists() and bold.exists() else None


def pdf(p: Page) -> tuple[str, bytes]:
    """A4 PDF: title large bold, group headings bold medium, entry headings bold, body regular."""
    from fpdf import FPDF

    doc = FPDF(format="A4")
    doc.set_auto_page_break(True, margin=15)
    fonts, family, fix = pdf_fonts(), "Helvetica", (lambda s: s.translate(TO_LATIN1))
    if fonts:
        doc.add_font("DejaVu", "", str(fonts[0]))
        doc.add_font("DejaVu", "B", str(fonts[1]))
        family, fix = "DejaVu", (lambda s: s)
    doc.add_page()

    def para(text: str, size: float, style: str = "", after: float = 2) -> None:
        doc.set_font(family, style, size)
        doc.multi_cell(0, size * 0.5, fix(text), new_x="LMARGIN", new_y="NEXT")
        doc.ln(after)

    para(p.title, 18, "B", 4)
    para(p.intro, 10)
    for group, entries in reading_order(p):
        if group:
            para(group, 14, "B", 3)
        for e in entries:
            para(e.acr_name(), 11, "B", 1)
            for paragraph in e.paragraphs:
                para(paragraph, 10)
    return "iap.pdf", bytes(doc.output())


LAYOUTS: dict[str, Callable[[Page], tuple[str, bytes]]] = {f.__name__: f for f in (
    dash, html_cms, html_list, html_table, html_dl, markdown, name_acr_lines, capitals,
    crlf_tabs, acr_colon, numbered, pdf)}


@lru_cache(maxsize=None)
def render(layout: str) -> tuple[str, bytes]:
    return LAYOUTS[layout](page())


# --- reading a rendering back as plain text (to check the renderings themselves) ---------------

class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style", "title")
        self.chunks.append(" ")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style", "title")
        self.chunks.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)


def plain_text(filename: str, data: bytes) -> str:
    """The text of a rendering: HTML's text nodes (a space for every tag), a PDF's extracted
    text, a text file's characters."""
    if filename.endswith(".html"):
        parser = _Text()
        parser.feed(data.decode("utf-8"))
        parser.close()
        text = "".join(parser.chunks)
    elif filename.endswith(".pdf"):
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as doc:
            text = "\n".join(page.extract_text() or "" for page in doc.pages)
    else:
        text = data.decode("utf-8")
    return text


def squeeze(text: str) -> str:
    """Runs of whitespace (no-break spaces too) as one space."""
    return " ".join(text.split())
