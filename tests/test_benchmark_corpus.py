"""The benchmark corpus generator: the same arguments give the same bytes."""

from __future__ import annotations

import json

from benchmarks.corpus import HTML_EVERY, generate, summary_path


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_benchmark_corpus_is_deterministic(tmp_path):
    a = generate(tmp_path / "a", entries=400)
    b = generate(tmp_path / "b", entries=400)
    assert a == b and files(tmp_path / "a") == files(tmp_path / "b")
    assert json.loads(summary_path(tmp_path / "a").read_text()) == a
    assert a["entries"] == 400 and a["pages"] >= HTML_EVERY
    assert any(name.endswith(".html") for name in files(tmp_path / "a"))


def test_benchmark_corpus_seed_changes_the_pages(tmp_path):
    assert generate(tmp_path / "a", entries=60)["sha256"] != \
        generate(tmp_path / "b", entries=60, seed=1)["sha256"]
