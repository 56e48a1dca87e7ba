"""The benchmark report: what it derives from the runs' figures, and the rows it writes."""

from __future__ import annotations

from benchmarks.profile import TOKENIZER
from benchmarks.run import table, tokenizer_costs

REPORT = {
    "startup": {"partners_run_s": 1.1, "spacy_blank_s": 1.0, "ratio": 1.1},
    "verdicts": {"startup": {"ratio": 1.1, "target": "<= 1.3", "met": True, "miss": ""}},
    "throughput": {"iap-60x": {"mb": 1.5}},
    "costs": {"tiny-entries": {"mb": 0.5}},
    "profile": {"iap-60x": {"stages": {TOKENIZER: 0.12}},
                "tiny-entries": {"stages": {TOKENIZER: 0.25}}},
}


def test_tokenizer_costs_are_per_mb_against_the_iap_page():
    found = tokenizer_costs(REPORT)
    assert found["iap-60x"] == {"s_per_mb": 0.08, "ratio": 1.0}
    assert found["tiny-entries"] == {"s_per_mb": 0.5, "ratio": 6.25}


def test_tokenizer_costs_without_the_reference_give_no_ratio():
    report = dict(REPORT, profile={"tiny-entries": {"stages": {TOKENIZER: 0.25}}})
    assert tokenizer_costs(report) == {"tiny-entries": {"s_per_mb": 0.5, "ratio": None}}
    assert tokenizer_costs(dict(REPORT, profile={"tiny-entries": {"error": "x"}})) == {}


def test_table_gives_the_tokenizers_share_and_the_counts_against_the_page_read_once():
    # (the timed rows have tests of their own figures; here only what these rows read)
    report = dict(REPORT, throughput={}, costs={}, tokenizer_cost_per_mb=tokenizer_costs(REPORT),
                  instructions={
        "reference": "iap-10x", "once": "iap-1x", "inputs": {
            "iap-10x": {"mb": 0.25, "per_mb": 8e9, "ratio": 1.0, "ratio_once": 0.62},
            "iap-1x": {"mb": 0.025, "per_mb": 13e9, "ratio": 1.62, "ratio_once": 1.0},
            "tiny-entries": {"mb": 0.16, "per_mb": 39e9, "ratio": 4.88, "ratio_once": 3.0}},
        "throughput": {}})
    rows = table(report).splitlines()
    tokenizer = [r for r in rows if "tokenizer alone" in r]
    assert len(tokenizer) == 1 and "tiny-entries | 0.5 s/MB | IAP page x60: 0.08 s/MB | 6.25" \
        in tokenizer[0]
    counted = [r for r in rows if "in instructions" in r]
    assert len(counted) == 1   # neither reference is a row of its own
    assert "4.88" in counted[0] and "against the IAP page read once (13.00 billion/MB): 3.0x" \
        in counted[0]
