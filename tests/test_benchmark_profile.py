"""The benchmark profile's reading of py-spy's raw samples."""

from __future__ import annotations

from benchmarks.profile import short_frame, summarise

RAW = "\n".join([
    "<module> (partners:8);entry (pipeline/cli.py:244);run_all (pipeline/stages.py:90);"
    "pipe (/v/lib/python3.11/site-packages/spacy/language.py:1618) 6",
    "<module> (partners:8);entry (pipeline/cli.py:244);run_all (pipeline/stages.py:90);"
    "export (pipeline/dataset/export.py:80);write (pipeline/dataset/formats.py:170) 3",
    "<module> (partners:8);entry (pipeline/cli.py:244) 1",
    "_bootstrap (/usr/lib/python3.11/threading.py:995);run (tqdm/_monitor.py:60) 40",
    "not a sample line",
])


def test_short_frame_names_file_and_function():
    assert short_frame("pipe (/v/lib/python3.11/site-packages/spacy/language.py:1618)") == \
        "spacy/language.py:pipe"
    assert short_frame("write (pipeline/dataset/formats.py:170)") == \
        "pipeline/dataset/formats.py:write"
    assert short_frame("dumps (/opt/py/lib/python3.11/json/__init__.py:231)") == \
        "json/__init__.py:dumps"
    assert short_frame("odd frame") == "odd frame"


def test_summarise_counts_the_run_thread_only():
    found = summarise(RAW)
    assert found["samples"] == 10   # the monitor thread's 40 waiting samples are not the run
    assert found["own"][0] == {"function": "spacy/language.py:pipe", "share": 0.6}
    inclusive = {f["function"]: f["share"] for f in found["inclusive"]}
    assert inclusive["pipeline/cli.py:entry"] == 1.0
    assert inclusive["pipeline/stages.py:run_all"] == 0.9
    assert inclusive["pipeline/dataset/export.py:export"] == 0.3
    assert not any(f.startswith("spacy/") for f in inclusive)   # only the package's own


def test_summarise_of_nothing():
    assert summarise("") == {"samples": 0, "rate": 250, "own": [], "inclusive": []}


def test_timed_tokenizer_adds_each_calls_seconds_and_is_the_tokenizer_otherwise():
    from benchmarks.profile import TOKENIZER, TimedTokenizer

    class Tokenizer:
        vocab = "the vocab"

        def __call__(self, text):
            return text.split()

    ticks = iter([1.0, 1.5, 2.0, 2.25])
    seconds: dict = {}
    timed = TimedTokenizer(Tokenizer(), seconds, lambda: next(ticks))
    assert timed("two words") == ["two", "words"]
    assert timed("three") == ["three"]
    assert seconds == {TOKENIZER: 0.75}
    assert timed.vocab == "the vocab"
