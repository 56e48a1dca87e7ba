"""The renderings of the IAP page in other layouts (tests/layouts.py) are sound: the
test-local reading of the page finds the dataset's 34 entries, and every rendering holds the
page's text."""

from __future__ import annotations

import csv

import pytest

import layouts

ROOT = layouts.ROOT
ORGANISATIONS = 34


def test_parse_finds_every_organisation_of_the_dataset():
    """The test-local reading of the page finds the 34 entries extracted/organisations.csv
    lists, in page order: by heading name (an article aside), or, for a heading with only an
    acronym, by that acronym and the name its body defines."""
    with (ROOT / "extracted" / "organisations.csv").open(encoding="utf-8", newline="") as f:
        dataset = list(csv.DictReader(f))
    entries = layouts.page().entries
    assert len(entries) == len(dataset) == ORGANISATIONS
    for entry, row in zip(entries, dataset):
        if entry.name:
            name = entry.name.removeprefix("The ").removeprefix("the ")
            assert name == row["name"], (entry, row["name"])
        else:
            assert entry.acronym.split("/") == row["acronyms"].split("|"), (entry, row)
            assert row["name"] in entry.paragraphs[0], (entry, row["name"])
        assert (entry.group or "") == row["group"]


# Layouts whose whitespace differs from the page's on purpose (crlf_tabs) or by nature (the
# PDF wraps lines): their text is compared with whitespace collapsed.
RESPACED = {"crlf_tabs", "pdf"}


@pytest.mark.parametrize("layout", list(layouts.LAYOUTS))
def test_rendering_holds_every_body_text(layout):
    """Each rendering, read back as plain text, holds the title, the introduction, every body
    paragraph exactly (HTML unescaped) and every heading's name or acronym."""
    filename, data = layouts.render(layout)
    page = layouts.page()
    same = layouts.squeeze if layout in RESPACED else (lambda s: s)
    if layout == "pdf" and not layouts.pdf_fonts():
        same = lambda s: layouts.squeeze(s.translate(layouts.TO_LATIN1))  # noqa: E731
    text = same(layouts.plain_text(filename, data))
    wanted = [page.title, page.intro] + [x for e in page.entries for x in e.paragraphs]
    missing = [x for x in wanted if same(x) not in text]
    assert not missing, f"{layout}: {len(missing)} missing, first {missing[0][:80]!r}"
    labels = [e.name or e.acronym for e in page.entries]
    if layout == "capitals":
        labels = [label.upper() for label in labels]
    assert [x for x in labels if same(x) not in text] == []
