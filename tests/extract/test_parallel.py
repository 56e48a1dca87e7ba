"""`partners run --workers N`: the same bytes as one process, on a generated corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, project_settings

from benchmarks.corpus import generate
from pipeline.extract.parallel import chunks
from pipeline.stages import run_all


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".partners.lock"}


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "pages"
    generate(folder, entries=320)  # a dozen pages, one of them HTML, organisations repeated
    assert any(p.suffix == ".html" for p in folder.iterdir())
    return folder


def test_parallel_output_is_byte_identical_to_one_process(small_corpus, tmp_path):
    out = tmp_path / "out"  # one path for both runs: saved HTML text paths are in the output
    ids = ROOT / "rules" / "org_ids.yaml"  # registered ids are given in the parent, in order
    one = run_all([str(small_corpus)], out, project_settings(workers=1, ids=ids))
    first = snapshot(out)
    two = run_all([str(small_corpus)], out, project_settings(workers=2, ids=ids))
    assert two == one
    assert snapshot(out) == first
    assert one["organisations"] == 320 and one["issues_by_reason"]["duplicate_organisation"] > 0


def test_parallel_chunks_keep_order_and_lose_nothing():
    assert list(chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunks([], 3)) == []


def test_parallel_a_rule_spacy_refuses_fails_the_run_instead_of_hanging(small_corpus, tmp_path):
    import json
    import shutil

    from pipeline.extract.rules import RULES_DIR, RuleError

    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    lines = (rules / "website.jsonl").read_text().splitlines()
    bad = dict(json.loads(lines[0]), pattern=[{"LOWERR": "x"}])  # passes load_rules, not spaCy
    (rules / "website.jsonl").write_text("\n".join([json.dumps(bad)] + lines[1:]) + "\n")
    with pytest.raises(RuleError, match="website.jsonl"):
        run_all([str(small_corpus)], tmp_path / "out", project_settings(rules_dir=rules, workers=2))


def test_parallel_extract_stage_writes_the_same_records(small_corpus, tmp_path):
    """`partners extract --workers 2` (what dvc.yaml can run) equals one process."""
    from pipeline.stages import extract_stage, ingest_stage, segment_stage

    docs, entries = tmp_path / "documents.jsonl", tmp_path / "entries.jsonl"
    ingest_stage([str(small_corpus)], docs, tmp_path / "texts")
    segment_stage(docs, entries, project_settings())
    extract_stage(docs, entries, tmp_path / "one.jsonl", project_settings(workers=1))
    extract_stage(docs, entries, tmp_path / "two.jsonl", project_settings(workers=2))
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
