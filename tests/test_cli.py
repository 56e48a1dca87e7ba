"""The command line: every expected failure is one line on stderr and exit 1."""

from __future__ import annotations

import pytest
from conftest import IAP_PAGE, ROOT

from pipeline.cli import main


@pytest.mark.parametrize("argv, says", [
    (["segment", "raw/sources.yaml", "--out", "{tmp}/e.jsonl"], "sources.yaml:1: not a line"),
    (["extract", "{tmp}/missing.jsonl", "{tmp}/m.jsonl", "--out", "{tmp}/x.jsonl"],
     "missing.jsonl: no such file"),
    (["export", "{tmp}/missing.jsonl", "{tmp}/m.jsonl", "--out", "{tmp}/out"],
     "missing.jsonl: no such file"),
    (["run", str(IAP_PAGE), "--out", "-"], "not standard output"),
    (["run", str(IAP_PAGE), "--out", str(ROOT)], "is not a dataset folder"),
])
def test_cli_expected_failures_are_one_line(tmp_path, capsys, argv, says):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err, err


def test_cli_a_stage_with_a_missing_input_writes_nothing(tmp_path):
    assert main(["export", str(tmp_path / "none.jsonl"), str(tmp_path / "none2.jsonl"),
                 "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cli_version_quiet_and_verbose(tmp_path, capsys):
    with pytest.raises(SystemExit):
        from pipeline.cli import build_parser

        build_parser().parse_args(["--version"])
    assert capsys.readouterr().out.startswith("partners ")
    out = str(tmp_path / "out")
    assert main(["run", str(IAP_PAGE), "--out", out, "--no-pdfs", "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["run", str(IAP_PAGE), "--out", out, "--no-pdfs", "-v"]) == 0
    err = capsys.readouterr().err
    assert "34 organisations" in err and "acronym_mismatch" in err


@pytest.mark.parametrize("command", ["run", "ingest", "segment", "extract", "export", "pdf",
                                     "fetch", "add", "diff", "review", "eval"])
def test_cli_every_command_takes_quiet_and_verbose_and_helps(command, capsys):
    from pipeline.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser(command).parse_args([command, "--help"])
    text = capsys.readouterr().out
    assert "--quiet" in text and "--verbose" in text


def subparser(command: str):
    """The parser of one command, as `partners COMMAND` builds it."""
    import argparse

    from pipeline.cli import build_parser

    parser = build_parser(command)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[command]


COMMANDS = ["run", "ingest", "segment", "extract", "export", "pdf", "fetch", "add", "diff",
            "review", "eval"]


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_option_and_argument_has_help(command):
    import argparse

    missing = [a.option_strings or a.dest for a in subparser(command)._actions
               if not a.help or a.help == argparse.SUPPRESS]
    assert missing == []


@pytest.mark.parametrize("command, offered, not_offered", [
    # segment reads the documents, the host and the rules: nothing else
    ("segment", {"--rules", "--host-name"}, {"--overrides", "--language", "--workers",
                                             "--error-reason", "--no-pdfs"}),
    ("extract", {"--rules", "--language", "--workers"}, {"--overrides", "--error-reason"}),
    ("export", {"--rules", "--overrides", "--error-reason"}, {"--language", "--workers"}),
    ("run", {"--rules", "--overrides", "--language", "--workers", "--no-pdfs"}, set()),
])
def test_cli_stages_offer_only_the_options_they_use(command, offered, not_offered):
    options = {o for a in subparser(command)._actions for o in a.option_strings}
    assert offered <= options and not (not_offered & options)


@pytest.mark.parametrize("argv, says", [
    (["segment", "raw/sources.yaml"], "the following arguments are required: --out"),
    (["export", "missing.jsonl"], "the following arguments are required: extractions, --out"),
    (["run", "--workers", "0"], "expected a whole number of at least 1"),
    (["frobnicate"], "invalid choice"),
    (["pdf", "{tmp}/no-raw", "--out", "{tmp}/p.jsonl"], "no-raw: no such file or folder"),
    (["run", str(IAP_PAGE), "--out", "{tmp}/out", "--overrides", "{tmp}/typo.yaml"],
     "typo.yaml: no such file"),
    (["export", "{tmp}/d.jsonl", "{tmp}/d.jsonl", "--out", "{tmp}/out", "--pdf-records",
      "{tmp}/missing-pdfs.jsonl"], "missing-pdfs.jsonl: no such file"),
    (["run", str(IAP_PAGE), "--rules", "{tmp}/no-rules", "--out", "{tmp}/out"],
     "no-rules: no such rules folder"),
])
def test_cli_usage_errors_and_missing_inputs_are_one_line(tmp_path, capsys, argv, says):
    from pipeline.records import write_records

    write_records(tmp_path / "d.jsonl", [])
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and says in captured.err, captured.err
    assert "cannot write" not in captured.err and not captured.out
    assert not (tmp_path / "out").exists() and not (tmp_path / "p.jsonl").exists()


@pytest.fixture(scope="module")
def interim(tmp_path_factory):
    """The interim files of the IAP page (HTML) and one agreement PDF it links to, written by
    the stages with the project's rules."""
    import pdfs
    import yaml

    folder = tmp_path_factory.mktemp("interim")
    raw = folder / "raw"
    raw.mkdir()
    (raw / "page.html").write_bytes((ROOT / "tests" / "data" / "iap-page.html").read_bytes())
    pdfs.agreement_pdf(raw / "aba-scj-2014.pdf", signed="8 March 2014")
    site = "https://www.iap-association.org"
    (raw / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"path": "page.html", "media_type": "text/html",
         "url": f"{site}/About/Co-operation-With-Others"},
        {"path": "aba-scj-2014.pdf", "media_type": "application/pdf",
         "url": f"{site}/Portals/0/agreements/aba-scj-2014.pdf"}]}), encoding="utf-8")
    for argv in (["ingest", "raw", "--out", "documents.jsonl", "--texts", "out/texts"],
                 ["pdf", "raw", "--out", "pdfs.jsonl"],
                 ["segment", "documents.jsonl", "--out", "entries.jsonl"],
                 ["extract", "documents.jsonl", "entries.jsonl", "--out", "extractions.jsonl"]):
        argv = [str(folder / a) if a.endswith(".jsonl") or "/" in a or a == "raw" else a
                for a in argv]
        assert main([*argv, "-q"]) == 0, argv
    return folder


@pytest.mark.parametrize("stage, rule_file", [
    ("segment", "segment.yaml"), ("extract", "website.jsonl"),
    # read only by the agreement linker, so this one proves export hands it --rules too
    ("export", "agreement_document.yaml")])
def test_cli_every_stage_reads_the_rules_it_is_given(interim, tmp_path, capsys, stage,
                                                     rule_file):
    import shutil

    rules = tmp_path / "my-rules"
    shutil.copytree(ROOT / "rules", rules)
    argv = {"segment": ["segment", "documents.jsonl", "--out", "{tmp}/e.jsonl"],
            "extract": ["extract", "documents.jsonl", "entries.jsonl", "--out", "{tmp}/x.jsonl"],
            "export": ["export", "documents.jsonl", "extractions.jsonl", "--pdf-records",
                       "pdfs.jsonl", "--out", "out"]}[stage]  # where ingest named the texts
    argv = [str(interim / a) if (a.endswith(".jsonl") or a == "out") and "{tmp}" not in a
            else a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main([*argv, "--rules", str(rules), "-q"]) == 0  # the copy works like the original
    if stage == "export":  # the PDF was read and linked to its agreement
        rows = (interim / "out" / "agreements.csv").read_text(encoding="utf-8")
        assert "aba-scj-2014.pdf" in rows
    (rules / rule_file).unlink()
    assert main([*argv, "--rules", str(rules)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(rules / rule_file) in err, err


def test_cli_stages_write_results_to_files_and_status_to_stderr(interim, tmp_path, capsys):
    assert main(["segment", str(interim / "documents.jsonl"), "--out",
                 str(tmp_path / "e.jsonl")]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("segment: ")
    assert main(["pdf", str(interim / "raw"), "--out", str(tmp_path / "p.jsonl")]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("pdf: 1 document(s) read, 0 issue(s)")
    assert main(["pdf", str(interim / "raw"), "--out", str(tmp_path / "p.jsonl"), "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    # not a terminal (pytest captures stderr): no progress bar, only the status line
    assert main(["extract", str(interim / "documents.jsonl"), str(interim / "entries.jsonl"),
                 "--out", str(tmp_path / "x.jsonl")]) == 0
    err = capsys.readouterr().err
    assert err.startswith("extract: ") and err.count("\n") == 1, err
