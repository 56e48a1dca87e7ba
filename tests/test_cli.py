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
