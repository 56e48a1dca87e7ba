"""Evaluation inputs: corpus files, host options, the pipeline's CSV cells, the command."""

from __future__ import annotations

import json

import pytest

from pipeline.evaluation.cli import main
from pipeline.evaluation.corpus import (
    CorpusError,
    load_corpus,
    parse_gold,
    parse_manifest,
)
from pipeline.evaluation.host import host_options, is_acronym
from pipeline.evaluation.runner import (
    organisations_from_rows,
    pipeline_command,
    read_rows,
    uncell,
)

MANIFEST = ("file\turl\tkind\thost\thost_names\tnote\n"
            "pages/01_a.txt\thttps://example.org\tpartner_list\tEX\tExample Network|EX|the Network\t\n"
            "pages/02_b.txt\thttps://example.org/b\tencyclopedia\t\t\t\n")
GOLD_RECORD = {"file": "pages/01_a.txt", "name": "International Bar Association",
               "acronyms": ["IBA"], "founded_year": 1947, "headquarters": "London",
               "membership": [{"count": 80000, "qualifier": "over", "unit": "lawyers"}],
               "relationship_to_host": {"host": "EX", "type": "partner", "evidence": "x"},
               "traps": []}


def test_manifest_and_gold_are_read_into_records():
    pages = parse_manifest(MANIFEST)
    assert [p.host_names for p in pages] == [("Example Network", "EX", "the Network"), ()]
    assert pages[0].stem == "01_a"
    (g,) = parse_gold(json.dumps(GOLD_RECORD) + "\n\n")
    assert (g.name, g.acronyms, g.founded_year, g.membership, g.relationship) == \
        ("International Bar Association", ("IBA",), 1947, (80000,), "partner")
    with pytest.raises(CorpusError, match="gold.jsonl:1"):
        parse_gold('{"name": "no file"}')


@pytest.mark.parametrize("names,expected", [
    (["European Judicial Training Network", "EJTN"], ("European Judicial Training Network", "EJTN", ())),
    (["INTERPOL"], ("INTERPOL", "INTERPOL", ())),
    (["Provedor de Justiça", "the Ombudsman"], ("Provedor de Justiça", "", ("the Ombudsman",))),
    (["German Police University", "DHPol"], ("German Police University", "DHPol", ())),
    (["National Audit Office of Estonia", "Riigikontroll"],
     ("National Audit Office of Estonia", "", ("Riigikontroll",))),
    (["International Institute of Municipal Clerks", "IIMC", "we"],
     ("International Institute of Municipal Clerks", "IIMC", ("we",))),
    ([], ("", "", ())),
])
def test_host_names_become_name_acronym_and_aliases(names, expected):
    h = host_options(names)
    assert (h.name, h.acronym, h.aliases) == expected


def test_host_arguments_never_fall_back_to_the_default_alias():
    assert host_options([]).arguments() == ["--host-name", "", "--host-acronym", "",
                                            "--host-alias", ""]
    assert not is_acronym("A") and not is_acronym("the Agency") and is_acronym("DHPol")


def test_cells_lose_exactly_the_apostrophe_that_neutralised_a_formula():
    assert uncell("'=SUM(A1)") == "=SUM(A1)"
    assert uncell("'-5") == "-5"
    assert uncell("''=x") == "'=x"
    assert uncell("'t Hooft") == "'t Hooft"


def test_organisations_are_read_from_the_csv_files(tmp_path):
    (tmp_path / "organisations.csv").write_text(
        "org_id,name,acronyms,founded_year,headquarters,host_relationship\n"
        'iba,International Bar Association,"[""-X"",""IBA""]",1947,London,partner\n'
        "n,'@Home,[],,,none_stated\n", encoding="utf-8")
    (tmp_path / "facts.csv").write_text(
        "fact_id,org_id,field,value\nf1,iba,membership,80000\nf2,iba,founded,1947\n",
        encoding="utf-8")
    orgs = organisations_from_rows(read_rows(tmp_path / "organisations.csv"),
                                   read_rows(tmp_path / "facts.csv"))
    assert orgs[0].acronyms == ("-X", "IBA") and orgs[0].founded_year == 1947
    assert orgs[0].membership == (80000,) and orgs[1].name == "@Home"
    assert orgs[1].founded_year is None and orgs[1].membership == ()


def test_the_command_uses_only_the_cli(tmp_path):
    cmd = pipeline_command(tmp_path / "p.txt", tmp_path / "out", ["Example Network", "EX"],
                           tmp_path / "none.yaml")
    assert cmd[1:4] == ["-m", "pipeline.cli", "run"]
    assert "--no-pdfs" in cmd and "--quiet" in cmd
    assert cmd[cmd.index("--host-acronym") + 1] == "EX"


def test_a_missing_corpus_is_one_line_and_exit_1(tmp_path, capsys):
    assert main([str(tmp_path / "absent")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "corpus folder not found" in err[0]
    assert main(["--min-f1", "2"]) == 1


def test_a_small_corpus_end_to_end(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    (corpus / "pages").mkdir(parents=True)
    (corpus / "pages" / "01_a.txt").write_text(
        "Our partners\n\nInternational Bar Association (IBA)\n"
        "Founded in 1947, the IBA is based in London. It has over 80,000 members.\n",
        encoding="utf-8")
    (corpus / "manifest.tsv").write_text(MANIFEST.splitlines(True)[0] + MANIFEST.splitlines(True)[1],
                                         encoding="utf-8")
    (corpus / "gold.jsonl").write_text(json.dumps(GOLD_RECORD) + "\n", encoding="utf-8")
    assert load_corpus(corpus).pages[0].host == "EX"
    out = tmp_path / "figures.json"
    assert main([str(corpus), "--json", str(out), "--details", "--min-precision", "0"]) == 0
    printed = capsys.readouterr().out
    assert "| field | TP | FP | FN | precision | recall | F1 |" in printed
    assert "### pages/01_a.txt" in printed
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["pages"] == 1 and figures["failed_pages"] == []
    assert figures["fields"]["entries"]["tp"] + figures["fields"]["entries"]["fn"] == 1
    # no field can reach F1 1.0 here (e.g. nothing to find for some fields): the gate says so
    assert main([str(corpus), "--min-f1", "1"]) == 1
    assert "below threshold" in capsys.readouterr().err
