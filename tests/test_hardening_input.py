"""Hostile and broken raw files: each gives a structured reason (file, stage, reason) and the
rest of the run goes on with nothing else lost. (Issue 5, "Bad input".)"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from conftest import IAP_PAGE
from hardening import check_accounting, check_provenance, write_raw

from pipeline.cli import main
from pipeline.dataset.checks import OutputChecks
from pipeline.ingest.reader import IngestError, ingest, safe_read
from pipeline.model import Issue

GOOD = ("Partners of the Association\n\n"
        "ABA - American Bar Association - The ABA was founded in 1878 and has 400,000 members.\n\n"
        "COE - Council of Europe - The Council of Europe was founded on 5 May 1949.\n")


def good_facts_kept(ds, name="good.txt") -> None:
    """The good page's organisations and facts are all there, whatever else was fed in."""
    orgs = [o.org_id for o in ds.tables["organisations"] if o.source_file.endswith(name)]
    assert orgs == ["aba-american-bar-association", "coe-council-of-europe"]
    assert sorted(ds.fields("founded")) == ["1878", "1949"]
    assert "400000" in ds.fields("membership")
    check_provenance(ds.facts)
    check_accounting(ds.metrics)


# --- files that cannot be used -----------------------------------------------------------


def test_ingest_bad_files_each_get_a_reason_and_the_good_page_is_complete(tmp_path, run_raw):
    raw = tmp_path / "raw"
    (tmp_path / "secret.txt").write_text("SECRET - Secret Society - founded in 1900.\n")
    write_raw(raw, {"good.txt": GOOD, "changed.txt": GOOD}, extra=[
        {"path": "empty.txt"}, {"path": "blank.txt"}, {"path": "noise.txt"},
        {"path": "missing.txt"}, {"path": "../secret.txt"}, {"path": "../../etc/passwd"},
        {"path": "/etc/passwd"}, {"path": "link.txt"}])
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.txt").write_bytes(b" \n\t\r\n  \n")
    (raw / "noise.txt").write_bytes(bytes(range(256)) * 20)
    (raw / "changed.txt").write_text(GOOD + "One more line.\n")
    os.symlink(tmp_path / "secret.txt", raw / "link.txt")
    ds = run_raw(raw, checks=OutputChecks(allow_partial=True))  # default: the run fails
    assert {
        ("empty.txt", "ingest", "empty"),
        ("blank.txt", "ingest", "empty"),
        ("noise.txt", "ingest", "binary"),
        ("changed.txt", "ingest", "sha256_mismatch"),
        ("missing.txt", "ingest", "missing"),
        ("secret.txt", "ingest", "outside_raw"),
        ("passwd", "ingest", "outside_raw"),
        ("link.txt", "ingest", "outside_raw"),
    } <= ds.reasons()
    by_source = {i.source.rsplit("/", 2)[-2:][-1]: i for i in ds.issues if i.stage == "ingest"}
    assert "manifest says" in by_source["changed.txt"].detail
    assert [i for i in ds.issues if i.source.endswith("//etc/passwd")][0].reason == "outside_raw"
    assert ds.metrics["documents"] == 1
    assert not any("Secret" in f.value or "root" in f.evidence for f in ds.facts)
    good_facts_kept(ds)


@pytest.mark.parametrize("listed", ["../../etc/passwd", "/etc/passwd", "../outside.txt",
                                    "sub/../../outside.txt", "link-out.txt", "link-dir/x.txt"])
def test_ingest_safe_read_refuses_paths_outside_the_folder_without_opening_them(
        tmp_path, monkeypatch, listed):
    raw = tmp_path / "raw"
    raw.mkdir()
    (tmp_path / "outside.txt").write_text("outside")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "x.txt").write_text("outside")
    os.symlink(tmp_path / "outside.txt", raw / "link-out.txt")
    os.symlink(tmp_path / "dir", raw / "link-dir")
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    with pytest.raises(IngestError) as err:
        safe_read(f"{raw}/{listed}", str(raw))
    assert err.value.reason == "outside_raw"
    assert opened == []


def test_ingest_folder_given_as_a_relative_path_upwards_is_read(tmp_path, monkeypatch, run_raw):
    raw = write_raw(tmp_path / "raw", {"good.txt": GOOD})
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    ds = run_raw("../raw", out=tmp_path / "out")
    assert not ds.issues or all(i.stage != "ingest" for i in ds.issues)
    assert ds.metrics["documents"] == 1


# --- encodings ---------------------------------------------------------------------------

ENCODED = ("Partners\n\n"
           "ABA \u2013 American Bar Association \u2013 The \u201cABA\u201d was founded on "
           "17\u00a0December\u200b2010 and has 400\u00a0000 members.\n\n"
           "COE - Council of Europe - The Council of Europe was founded in 1949.\n")


@pytest.mark.parametrize("name, data, encoding", [
    ("bom8.txt", b"\xef\xbb\xbf" + ENCODED.encode("utf-8"), "utf-8-sig"),
    ("bom16.txt", ENCODED.encode("utf-16"), "utf-16"),
    ("utf16be.txt", b"\xfe\xff" + ENCODED.encode("utf-16-be"), "utf-16"),
    ("cp1252.txt", ENCODED.replace("\u200b", " ").encode("cp1252"), "cp1252"),
])
def test_ingest_encodings_decoded_and_facts_found_at_valid_offsets(tmp_path, run_raw, name,
                                                                    data, encoding):
    raw = write_raw(tmp_path / "raw", {name: data})
    ds = run_raw(raw)
    assert ds.tables["organisations"][0].org_id == "aba-american-bar-association"
    founded = [f for f in ds.facts if f.field == "founded"]
    assert [(f.value, f.date, f.date_precision) for f in founded][:1] == [
        ("2010", "2010-12-17", "day")]
    assert "400000" in ds.fields("membership")
    assert "0" not in ds.fields("membership")  # "000 members" is not a second count
    check_provenance(ds.facts)  # offsets into the decoded text, nothing rewritten
    assert (raw / name).read_bytes() == data
    import json
    package = json.loads((ds.out / "datapackage.json").read_text())
    assert package["sources"][0]["encoding"] == encoding


def test_ingest_mojibake_is_reported_and_read_as_meant(tmp_path, run_raw):
    page = ("Partners\n\n"
            "ABA \u00e2\u20ac\u201c American Bar Association \u00e2\u20ac\u201c The ABA doesn"
            "\u00e2\u20ac\u2122t say much; it was founded in 1878.\n\n"
            "COE - Council of Europe - Founded in 1949.\n")
    raw = write_raw(tmp_path / "raw", {"moji.txt": page})
    ds = run_raw(raw)
    moji = [i for i in ds.issues if i.reason == "mojibake"]
    assert len(moji) == 1 and moji[0].stage == "ingest" and moji[0].source.endswith("moji.txt")
    assert "3 sequence(s)" in moji[0].detail
    # the mojibake dashes still separate the heading; founding year found
    names = [o.name for o in ds.tables["organisations"]]
    assert names == ["American Bar Association", "Council of Europe"]
    assert sorted(ds.fields("founded")) == ["1878", "1949"]
    check_provenance(ds.facts)
    assert (raw / "moji.txt").read_text(encoding="utf-8") == page


# --- size and shape ----------------------------------------------------------------------


def timed(run, *args, **kwargs):
    start = time.monotonic()
    result = run(*args, **kwargs)
    return result, time.monotonic() - start


def test_extract_entry_longer_than_max_length_matched_in_pieces(tmp_path, run_raw, nlp):
    """An entry over nlp.max_length: no E088, facts at both ends and across piece cuts."""
    filler = "The members meet every year in a different city to discuss their work. "
    body = filler * (nlp.max_length // len(filler) + 500)
    page = ("Partners\n\n"
            f"ABA - American Bar Association - The ABA was founded in 1878. {body}"
            "It has 400,000 members.\n\n"
            f"COE - Council of Europe - {body}\nThe Council of Europe was founded in 1949.\n\n"
            "IBA - International Bar Association - Founded in 1947.\n")
    assert len(page) > 2 * nlp.max_length
    ds, seconds = timed(run_raw, write_raw(tmp_path / "raw", {"long.txt": page}))
    assert [o.org_id for o in ds.tables["organisations"]] == [
        "aba-american-bar-association", "coe-council-of-europe",
        "iba-international-bar-association"]
    assert sorted(ds.fields("founded")) == ["1878", "1947", "1949"]
    assert ds.fields("membership") == ["400000"]
    check_provenance(ds.facts)
    assert seconds < 60


def test_extract_many_megabytes_on_one_line(tmp_path, run_raw):
    page = ("IAP partners: " + "the partner works with prosecutors, " * 60_000
            + "ABA - American Bar Association - founded in 1878. " * 3)
    assert "\n" not in page and len(page) > 2_000_000
    ds, seconds = timed(run_raw, write_raw(tmp_path / "raw", {"line.txt": page}))
    assert ("line.txt", "segment", "no_entries_recognised") in ds.reasons()
    assert len(ds.tables["organisations"]) == 1
    check_provenance(ds.facts)
    check_accounting(ds.metrics)
    assert seconds < 60


@pytest.mark.parametrize("noise", ["?" * 100_000, "?!" * 50_000, "(" * 100_000,
                                   "\u2014" * 100_000, ".-" * 50_000])
def test_extract_punctuation_run_in_a_paragraph_takes_bounded_time(tmp_path, run_raw, noise):
    page = (GOOD + "\n" + "OAS - Organization of American States - Founded in 1948. "
            + noise + " It was established on 30 April 1948.\n")
    ds, seconds = timed(run_raw, write_raw(tmp_path / "raw", {"good.txt": page}))
    assert seconds < 10
    assert sorted(ds.fields("founded")) == ["1878", "1948", "1948", "1949"]
    check_provenance(ds.facts)


def test_ingest_html_nested_thousands_deep_and_a_10mb_text_node(tmp_path, run_raw):
    deep = ("<html><body>" + "<div><span>" * 5000
            + "<p>ABA - American Bar Association - The ABA was founded in 1878.</p>"
            + "</span></div>" * 5000
            + "<p>COE - Council of Europe - It has " + ("v" * 49 + " ") * 210_000
            + "many members; the Council of Europe was founded in 1949.</p></body></html>")
    assert len(deep) > 10_000_000
    ds, seconds = timed(run_raw, write_raw(tmp_path / "raw", {"deep.html": deep}))
    assert [o.name for o in ds.tables["organisations"]] == [
        "American Bar Association", "Council of Europe"]
    assert sorted(ds.fields("founded")) == ["1878", "1949"]
    check_provenance(ds.facts, cwd=tmp_path)
    assert seconds < 60


# --- dates and numbers -------------------------------------------------------------------

TRICKY = [
    ("It was founded in 23.", None),
    ("It was founded in 6005.", None),
    ("It was founded on 1234567890.", None),          # not a Unix timestamp
    ("It was founded on 12/31/68.", None),            # numeric dates are never read:
    ("It was founded on 03/04/2005.", None),          # day/month order is ambiguous
    ("It originated in the late 90s.", ("1990s", "approximate:late", "decade")),
    ("It was founded in December 2003.", ("2003", "", "month")),
    ("It was founded on 31 February 2001.", None),    # no such day: nothing invented
]


@pytest.mark.parametrize("sentence, expected", TRICKY)
def test_values_dates_that_are_not_what_they_seem(extract_text, sentence, expected):
    _, extractions, _ = extract_text(f"XYZ - Xylophone Yodel Zone - {sentence}\n")
    founded = [(f.value, f.qualifier, f.date_precision) for x in extractions for f in x.facts
               if f.field == "founded"]
    assert founded == ([expected] if expected else [])


@pytest.mark.parametrize("date", ["03/04/2005", "12/31/68", "31.12.1999"])
def test_values_numeric_dates_are_flagged_not_guessed(extract_text, date):
    _, extractions, issues = extract_text(f"XYZ - Xylophone Yodel Zone - It was founded on {date}.\n")
    assert [f for x in extractions for f in x.facts if f.field == "founded"] == []
    flagged = [i for i in issues if i.reason == "not_used:numeric_date_ambiguous"]
    assert len(flagged) == 1 and date in flagged[0].detail and flagged[0].stage == "extract"


@pytest.mark.parametrize("text, count", [
    ("It has 1,000,000,000,000,000,000 members.", "1000000000000000000"),
    ("It has 99999999999999999999999999999 members.", "99999999999999999999999999999"),
    ("It has 1234567890 members.", "1234567890"),
    ("It has 400\u00a0000 members.", "400000"),
    ("It has 400\u202f000 members.", "400000"),
])
def test_values_huge_counts_do_not_overflow(tmp_path, run_raw, text, count):
    ds = run_raw(write_raw(tmp_path / "raw", {"n.txt": f"XYZ - Xylophone Yodel Zone - {text}\n"}))
    assert ds.fields("membership") == [count]  # Parquet keeps it as text: no int64 overflow
    check_provenance(ds.facts)


def test_values_same_result_whatever_the_clock_timezone_or_locale(monkeypatch):
    import datetime as dt

    from pipeline.extract import values

    cases = [("7 March 2014", "day"), ("December 2003", "month"), ("5 Mai 1949", "day")]
    first = [values.parse_date(t, p, ("en", "de")) for t, p in cases]
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        class Future(dt.datetime):
            @classmethod
            def now(cls, tz=None):
                return dt.datetime(2091, 2, 28, 23, 59, tzinfo=tz)

        monkeypatch.setattr(dt, "datetime", Future)
        values._date_parser.cache_clear()
        assert [values.parse_date(t, p, ("en", "de")) for t, p in cases] == first
    finally:
        monkeypatch.undo()
        time.tzset()
        values._date_parser.cache_clear()
    assert first == [("2014-03-07", ""), ("2003-12", ""), ("1949-05-05", "")]


# --- duplicates, empty headings, pages without entries -----------------------------------


def test_segment_duplicate_organisations_and_shared_acronyms_are_all_kept(tmp_path, run_raw):
    page = ("Partners\n\n"
            "ABA - American Bar Association - The ABA was founded in 1878.\n\n"
            "IBA - International Bar Association - Founded in 1947.\n\n"
            "IBA - Inter-American Bar Association - Founded in 1940.\n\n"
            "ABA - American Bar Association - The ABA was founded in 1878.\n")
    ds = run_raw(write_raw(tmp_path / "raw", {"dup.txt": page}))
    ids = [o.org_id for o in ds.tables["organisations"]]
    assert ids == ["aba-american-bar-association", "iba-international-bar-association",
                   "iba-inter-american-bar-association", "aba-american-bar-association-2"]
    assert ("dup.txt", "extract", "duplicate_organisation") in ds.reasons()
    assert sorted(ds.fields("founded")) == ["1878", "1878", "1940", "1947"]
    check_provenance(ds.facts)
    check_accounting(ds.metrics)


def test_segment_heading_with_no_text_loses_no_paragraph(tmp_path, run_raw):
    page = ("Partners\n\n"
            "ABA - American Bar Association - The ABA was founded in 1878.\n\n"
            " - \n\n\u2013\u2013\n\n- - Founded in 1900.\n\n"
            "COE - Council of Europe - Founded in 1949.\n")
    ds = run_raw(write_raw(tmp_path / "raw", {"h.txt": page}))
    assert [o.name for o in ds.tables["organisations"]] == [
        "American Bar Association", "Council of Europe"]
    assert ds.metrics["paragraphs"]["total"] == 6
    check_accounting(ds.metrics)
    check_provenance(ds.facts)


def test_segment_page_with_no_recognisable_entries_is_one_entry_and_an_issue(tmp_path, run_raw):
    page = "this page lists nobody.\nit was founded in 1999, maybe.\n\nanother paragraph.\n"
    ds = run_raw(write_raw(tmp_path / "raw", {"none.txt": page}))
    assert len(ds.tables["organisations"]) == 1
    org = ds.tables["organisations"][0]
    assert (org.char_start, org.char_end) == (0, len(page.rstrip("\n")))
    assert ("none.txt", "segment", "no_entries_recognised") in ds.reasons()
    check_accounting(ds.metrics)


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))


def test_ingest_yaml_alias_bomb_in_the_manifest_is_one_line(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sources.yaml").write_text(ALIAS_BOMB + "sources: []\n")
    assert main(["run", str(raw), "--out", str(tmp_path / "out"), "--no-pdfs", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "aliases (*name) are not allowed" in err and "sources.yaml" in err


def test_ingest_yaml_alias_bomb_in_overrides_is_one_line(tmp_path, capsys):
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(ALIAS_BOMB)
    assert main(["run", str(IAP_PAGE), "--out", str(tmp_path / "out"), "--no-pdfs", "--quiet",
                 "--overrides", str(overrides)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "aliases (*name) are not allowed" in err


def test_ingest_fifo_is_refused_without_blocking(tmp_path):
    raw = write_raw(tmp_path / "raw", {"page.txt": GOOD}, extra=[{"path": "pipe.txt"}])
    os.mkfifo(raw / "pipe.txt")  # nobody writes to it: opening it for reading would block
    records = list(ingest([str(raw)]))
    reasons = {Path(r.source).name: r.reason for r in records if isinstance(r, Issue)}
    assert reasons == {"pipe.txt": "special_file"}


def test_ingest_nul_late_in_a_file_is_binary(tmp_path):
    raw = write_raw(tmp_path / "raw", {"page.txt": GOOD + "x" * 5000 + "\x00 tail\n"})
    (issue,) = [r for r in ingest([str(raw)]) if isinstance(r, Issue)]
    assert issue.reason == "binary"


def test_ingest_two_html_pages_with_one_name_keep_their_own_texts(tmp_path, run_raw):
    """`a/index.html` and `b/index.html` used to share one texts/index.html.txt: the facts of
    one then pointed into the other's text."""
    one = "<p>Partners</p><p>ABA - American Bar Association - Founded in 1878.</p>"
    two = "<p>Partners</p><p>COE - Council of Europe - The Council was founded in 1949.</p>"
    raw = write_raw(tmp_path / "raw", {})
    for name, html in (("a", one), ("b", two)):
        (raw / name).mkdir()
        (raw / name / "index.html").write_text(html, encoding="utf-8")
    (raw / "sources.yaml").write_text(
        "sources:\n  - path: a/index.html\n    media_type: text/html\n"
        "  - path: b/index.html\n    media_type: text/html\n", encoding="utf-8")
    ds = run_raw(raw)
    texts = [p for p in (ds.out / "texts").iterdir() if p.name != "SHA256SUMS"]
    assert {f.source_file for f in ds.facts if f.field == "name"} == {str(p) for p in texts}
    assert len(texts) == 2
    # SHA256SUMS lists the two texts, each with its own hash
    sums = (ds.out / "texts" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sorted(sums) == sorted(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}"
                                  for p in texts)
    check_provenance(ds.facts)
