"""The instruction-count benchmark: reading cachegrind's summary, and the ratios it reports."""

from __future__ import annotations

import pytest

from benchmarks import inputs, instructions

SUMMARY = """==2215== Cachegrind, a cache and branch-prediction profiler
==2215== Command: partners run /tmp/one --out /tmp/x --quiet
==2215==
==2215== I   refs:      5,176,856,777
"""


def test_instructions_of_reads_the_summary():
    assert instructions.instructions_of(SUMMARY) == 5_176_856_777


def test_instructions_of_says_what_it_got_when_there_is_no_count():
    with pytest.raises(RuntimeError, match="(?s)no instruction count:.*Command: partners run"):
        instructions.instructions_of(SUMMARY.replace("I   refs", "nothing"))


def test_ratios_are_per_mb_net_of_start_up_against_the_reference():
    counts = {"iap-10x": 7_000, "tiny": 3_500}
    found = instructions.ratios(counts, {"iap-10x": 0.25, "tiny": 0.05}, startup=5_000,
                                reference="iap-10x")
    assert found["iap-10x"] == {"mb": 0.25, "instructions": 7_000, "net": 2_000,
                                "per_mb": 8_000, "ratio": 1.0}
    assert found["tiny"]["net"] == 0 and found["tiny"]["ratio"] == 0.0  # never negative
    counts["tiny"] = 7_000
    assert instructions.ratios(counts, {"iap-10x": 0.25, "tiny": 0.05}, startup=5_000,
                               reference="iap-10x")["tiny"]["ratio"] == 5.0


def test_ratios_against_a_second_reference_read_once():
    counts = {"iap-10x": 7_000, "iap-1x": 5_500, "tiny": 5_400}
    sizes = {"iap-10x": 0.25, "iap-1x": 0.025, "tiny": 0.05}
    found = instructions.ratios(counts, sizes, startup=5_000, reference="iap-10x", once="iap-1x")
    assert found["iap-1x"]["per_mb"] == 20_000 and found["iap-1x"]["ratio"] == 2.5
    assert found["tiny"]["ratio"] == 1.0 and found["tiny"]["ratio_once"] == 0.4
    assert found["iap-1x"]["ratio_once"] == 1.0
    # without it (or with nothing net to divide by), no second ratio
    assert "ratio_once" not in instructions.ratios(counts, sizes, 5_000, "iap-10x")["tiny"]
    counts["iap-1x"] = 4_000
    assert "ratio_once" not in instructions.ratios(counts, sizes, 5_000, "iap-10x",
                                                   once="iap-1x")["tiny"]


def test_without_valgrind_the_report_says_so(monkeypatch, tmp_path):
    monkeypatch.setattr(instructions, "valgrind", lambda: None)
    assert instructions.bench_instructions(tmp_path) == {
        "skipped": "valgrind not found (Debian: apt-get install valgrind)"}
    assert list(tmp_path.iterdir()) == []   # nothing written


def test_costly_share_keeps_each_input_and_scales_it(tmp_path):
    full = {n: f.joinpath("page.txt").read_text() for n, f in
            inputs.costly(tmp_path / "full").items()}
    small = {n: f.joinpath("page.txt").read_text() for n, f in
             inputs.costly(tmp_path / "small", share=0.1).items()}
    assert set(small) == set(full)
    assert small["tiny-entries"].count("\n") == 1_000
    assert full["tiny-entries"].startswith(small["tiny-entries"])   # the same entries, fewer
    for name in full:
        assert 0.08 < len(small[name]) / len(full[name]) < 0.12, name


def test_throughput_ratio_is_the_tokenizer_over_the_pipeline_net_of_start_up():
    assert instructions.throughput_ratio(pipeline_net=4_000, tokenizer=1_000) == 0.25
    assert instructions.throughput_ratio(pipeline_net=0, tokenizer=1_000) == 0.0


def test_the_tokenizer_baseline_cuts_differ_by_tokenising_alone(tmp_path, monkeypatch, capsys):
    import spacy

    from benchmarks import tokenizer_baseline

    page = tmp_path / "page.txt"
    page.write_text("ABA - American Bar Association - Founded in 1878.\n", encoding="utf-8")
    tokenised = []
    nlp = spacy.blank("en")
    monkeypatch.setattr(nlp, "tokenizer", lambda text: tokenised.append(text))
    monkeypatch.setattr(spacy, "blank", lambda lang: nlp)
    assert tokenizer_baseline.main(["--cut", "none", str(page)]) == 0
    assert tokenised == []   # read, not tokenised
    assert tokenizer_baseline.main(["--cut", "pages", str(page)]) == 0
    assert tokenised == ["ABA - American Bar Association - Founded in 1878.\n"]
    assert capsys.readouterr().out.splitlines() == ['{"cut": "none", "documents": 1}',
                                                     '{"cut": "pages", "documents": 1}']
    with pytest.raises(SystemExit, match="--cut: pages or none"):
        tokenizer_baseline.main(["--cut", "both", str(page)])
