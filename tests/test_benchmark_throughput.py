"""The throughput benchmark's baselines: the tokenizer, as many runs as the pipeline's, one
after each, their median counting (a single run of it moved a ratio by a fifth); and a cost's
reference, the IAP page, run in turn with the input it is the reference of."""

from pathlib import Path

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


def test_a_cost_is_against_the_reference_run_in_turn_with_it(tmp_path, monkeypatch):
    """The IAP page runs after each of the input's runs; the ratio is to its median net of the
    same start-up, the throughput phase's reference kept beside it."""
    order = []
    walls = {"in": 3.0, "one.txt": 1.0, "ref": 2.0}   # by the name of the run's input

    def measured(command):
        order.append(Path(command[0]).name)
        return {"wall_s": walls[order[-1]]}

    monkeypatch.setattr(throughput, "measured", measured)
    monkeypatch.setattr(throughput, "partners", lambda *args: list(args))
    monkeypatch.setattr(throughput, "size_mb", lambda folder: {"in": 2.0, "ref": 1.0}[folder.name])
    costs = throughput.bench_costs({"tiny": tmp_path / "in"}, 2, tmp_path / "one.txt", 0.5,
                                   reference=tmp_path / "ref")
    assert order == ["in", "one.txt", "ref"] * 2
    tiny = costs["tiny"]
    assert tiny["s_per_mb"] == 1.0 and tiny["reference_s_per_mb"] == 1.0
    assert tiny["ratio"] == 1.0 and tiny["ratio_phase_reference"] == 2.0
    assert tiny["reference_run_s"] == [2.0, 2.0]
