"""The whole evaluation on the real corpus, when ../shared/corpus is present: its structure,
and the precision the issue asks for (a wrong value is worse than a missing one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluation.cli import main
from pipeline.evaluation.score import FIELDS

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"


@pytest.mark.slow
def test_the_real_corpus_is_evaluated_page_by_page(tmp_path, capsys):
    if not (CORPUS / "manifest.tsv").is_file():
        pytest.skip(f"../shared/corpus not found: {CORPUS.resolve()} (the annotated pages live "
                    f"outside the repository)")
    out = tmp_path / "figures.json"
    assert main([str(CORPUS), "--json", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["pages"] == 25 and len(figures["per_page"]) == 25
    assert figures["failed_pages"] == []
    assert list(figures["fields"]) == list(FIELDS)
    for name, c in figures["fields"].items():
        assert all(0.0 <= c[k] <= 1.0 for k in ("precision", "recall", "f1")), name
    gold_orgs = sum(1 for line in (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()
                    if line.strip())
    assert figures["fields"]["entries"]["tp"] + figures["fields"]["entries"]["fn"] == gold_orgs
    assert "| entries |" in capsys.readouterr().out
    # precision first: every field at 0.9 or more (the target; measured 0.926-1.0);
    # recall not below what was measured when this was written, less a small margin so that a
    # deliberate trade-off for precision stays possible (README: "Generalising")
    floors = {"entries": 0.85, "acronyms": 0.85, "founded_year": 0.75, "headquarters": 0.65,
              "membership": 0.75, "relationship": 0.75}
    for name, c in figures["fields"].items():
        assert c["precision"] >= 0.9, (name, c)
        assert c["recall"] >= floors[name], (name, c)
