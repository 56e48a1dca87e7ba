"""HTML pages -> text with the page's structure, its links and its title.

Reads: the decoded HTML of one page (a string) and the URL it came from.
Writes: an `HtmlText`: the text every offset of an HTML source refers to, the links with their
anchor text, absolute URL and span in that text, and the page title (its first <h1>,
else <title>).

How the text is laid out, so the segmenter sees what it sees in a text version of the page:
- each block element (p, div, li, h1-h6, tr, br, ...) ends a block; non-empty blocks are joined
  with a blank line ("\\n\\n"), and the text has no leading or trailing newline;
- inside a block, runs of ASCII whitespace collapse to one space and the block is stripped;
  non-breaking spaces (U+00A0, `&nbsp;`) are source text and are kept as they are;
- script, style, nav, header, footer, noscript, template, svg and title are not content.
The stdlib parser is used: it does not recurse, so deep nesting and huge text nodes are fine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from pipeline.ingest.html_blocks import BlockRecorder
from pipeline.model import Block, Link

BLOCK_TAGS = frozenset("""
    address article aside blockquote body br caption dd details dialog div dl dt fieldset
    figcaption figure form h1 h2 h3 h4 h5 h6 hr html legend li main ol p pre section summary
    table tbody td tfoot th thead tr ul
""".split())
# <head> itself is not listed: a page that never closes it would lose its body.
SKIP_TAGS = frozenset("script style nav header footer noscript template svg title "
                      "iframe object select button".split())
# Only ASCII whitespace collapses; U+00A0 is part of the text.
ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


@dataclass(frozen=True)
class HtmlText:
    """The text of a page, its links (spans into `text`) and its title."""

    text: str
    links: tuple[Link, ...]
    title: str
    blocks: tuple[Block, ...] = ()


class _TextBuilder(HTMLParser):
    """Collects blocks of collapsed text and link spans while the parser streams tags."""

    def __init__(self, base_url: str):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.parts: list[str] = []      # text emitted so far
        self.length = 0                 # len("".join(parts)), kept as we go
        self.block_open = False         # has the current block emitted a character?
        self.pending_space = False
        self.skip: dict[str, int] = {}  # open non-content tags, by name
        self.link: tuple[str, int] | None = None  # (url, start) of the open <a>
        self.link_has_text = False
        self.links: list[Link] = []
        self.title_parts: list[str] = []
        self.in_title = 0
        self.h1: list[str] | None = None  # text of the first <h1>, as it is read
        self.h1_done = False
        self.structure = BlockRecorder()

    # --- emitting text -----------------------------------------------------------------

    def _emit(self, text: str) -> None:
        if not text:
            return
        new_run = not self.block_open
        if self.block_open:
            if self.pending_space:
                text = " " + text
        elif self.length:
            text = "\n\n" + text
        words = len(text) - len(text.lstrip("\n "))
        self.structure.text(self.length + words, self.length + len(text), new_run)
        if self.link is not None and not self.link_has_text:
            # the link starts at its first character, after any separator just added
            self.link = (self.link[0], self.length + len(text) - len(text.lstrip("\n ")))
            self.link_has_text = True
        self.parts.append(text)
        self.length += len(text)
        self.block_open, self.pending_space = True, False

    def _end_block(self) -> None:
        self.block_open = self.pending_space = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        if self.skip:
            return
        if self.h1 is not None and not self.h1_done:
            self.h1.append(data)
        collapsed = ASCII_SPACE.sub(" ", data)
        if collapsed.startswith(" "):
            self.pending_space = True
        words = collapsed.strip(" ")
        if words:
            self._emit(words)
            self.pending_space = collapsed.endswith(" ")

    # --- tags --------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title += 1
        if tag == "base" and not self.links:
            href = dict(attrs).get("href")
            if href:
                try:
                    self.base_url = urljoin(self.base_url, href.strip())
                except ValueError:  # a malformed base is ignored, as browsers do
                    pass
        if tag in SKIP_TAGS:
            self.skip[tag] = self.skip.get(tag, 0) + 1
            return
        if self.skip:
            return
        if tag in BLOCK_TAGS:
            self._end_block()
        self.structure.start(tag, attrs)
        if tag == "h1" and not self.h1_done and self.h1 is None:
            self.h1 = []
        if tag == "a":
            self._close_link()
            href = dict(attrs).get("href")
            if href is not None:
                try:
                    url = urljoin(self.base_url, href.strip())
                except ValueError:  # `http://[::1/x`: kept as written; fetch reports it
                    url = href.strip()
                self.link = (url, self.length)
                self.link_has_text = False

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "base", "img", "meta", "link", "input"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.in_title:
            self.in_title -= 1
        if tag in SKIP_TAGS:
            if self.skip.get(tag):
                self.skip[tag] -= 1
                if not self.skip[tag]:
                    del self.skip[tag]
            return
        if self.skip:
            return
        if tag == "a":
            self._close_link()
        if tag == "h1" and self.h1 is not None:
            self.h1_done = True
        self.structure.end(tag, self.length)
        if tag in BLOCK_TAGS:
            self._end_block()

    def _close_link(self) -> None:
        if self.link is None:
            return
        url, start = self.link
        end = self.length if self.link_has_text else start
        if not self.link_has_text:
            start = end = self.length
        self.links.append(Link(text="", url=url, char_start=start, char_end=end))
        self.link = None

    def result(self) -> HtmlText:
        self._close_link()
        text = "".join(self.parts)
        links = tuple(Link(text=text[lk.char_start:lk.char_end], url=lk.url,
                           char_start=lk.char_start, char_end=lk.char_end) for lk in self.links)
        # the page's own heading names it better than <title> ("Site > Section > Page")
        title = ASCII_SPACE.sub(" ", "".join(self.h1 or ())).strip()
        if not title:
            title = ASCII_SPACE.sub(" ", "".join(self.title_parts)).strip()
        return HtmlText(text=text, links=links, title=title,
                        blocks=self.structure.blocks(text, links))


def html_to_text(html: str, base_url: str = "") -> HtmlText:
    """The text, links and title of an HTML page (see the module docstring for the layout)."""
    builder = _TextBuilder(base_url)
    builder.feed(html)
    builder.close()
    return builder.result()
