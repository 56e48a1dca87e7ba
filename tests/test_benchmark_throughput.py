"""The throughput benchmark's tokenizer baseline: as many runs as the pipeline's, one after
each, their median counting (a single run of it moved a ratio by a fifth)."""

from benchmarks import throughput


def report(pages_s: float, entries_s: float) -> dict:
    return {"words": 1_000, "pages": {"documents": 2, "tokenize_s": pages_s},
            "entries": {"documents": 9, "tokenize_s": entries_s}}


def test_the_baseline_is_each_cuts_median_run_with_every_run_kept():
    base = throughput.median_baseline([report(0.5, 0.1), report(0.2, 0.4), report(0.4, 0.2)])
    assert base["words"] == 1_000
    assert base["pages"] == {"documents": 2, "tokenize_s": 0.4, "words_per_s": 2_500,
                             "samples": [0.5, 0.2, 0.4]}
    assert base["entries"]["tokenize_s"] == 0.2 and base["entries"]["words_per_s"] == 5_000


def test_the_baseline_runs_after_each_of_the_pipelines_runs(tmp_path, monkeypatch):
    order = []

    def measured(command):
        order.append("one" if "one" in command[-1] else "run")
        return {"wall_s": 1.0 if order[-1] == "run" else 0.25}

    monkeypatch.setattr(throughput, "measured", measured)
    monkeypatch.setattr(throughput, "partners", lambda *args: list(args))
    timed = throughput.runs(tmp_path, 3, tmp_path / "one.txt",
                            between=lambda: order.append("tokenizer") or len(order))
    assert order == ["run", "one", "tokenizer"] * 3
    assert timed["between"] == [3, 6, 9] and timed["net_s"] == 0.75
