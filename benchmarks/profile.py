"""Where the time of a run goes: per stage, per pipeline component, and the functions a
sampling profiler finds it in.

    python -m benchmarks.profile benchmarks/out/corpus-1x

Prints JSON: `stages` (CPU seconds of a whole `partners run` of the folder, by what runs:
imports, building the pipeline, ingest, segment, tokenising, the spaCy components, names,
the field extractors, finishing the facts, writing CSV and Parquet; the rest is the run's
own bookkeeping), `components` (seconds per step over the corpus's entries: tokenising and
sentence starts, each spaCy component, the field extractors, finishing the facts) and
`sampled` (py-spy's samples of a whole run in its own process: the functions most often on
top of the stack, and the package's functions most often on it at all).

Why py-spy and not cProfile: spaCy is compiled with Cython's profiling hooks, so under
cProfile every call into it pays the profiler, and `Doc.__iter__` and `Token` creation looked
like a fifth of a run. A numpy sentencizer written from that profile was 17x slower on short
entries. py-spy reads the stack from outside the process, so nothing in it is slowed.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from unittest import mock

import yaml


def components(folder: Path) -> dict:
    """Seconds per step of extraction, each step run over all entries in turn."""
    from pipeline.extract.extractor import Extractor
    from pipeline.extract.nlp import build_nlp
    from pipeline.extract.rules import load_rules
    from pipeline.ingest.reader import ingest
    from pipeline.ingest.reading_view import reading_view
    from pipeline.model import Document, Entry
    from pipeline.segment.segmenter import segment
    from pipeline.settings import Host

    rules = load_rules()
    host = Host.from_params(yaml.safe_load(Path("params.yaml").read_text())["host"])
    extractor = Extractor(build_nlp(rules, host), rules, host)
    docs = [d for d in ingest([str(folder)]) if isinstance(d, Document)]
    by_file = {d.source_file: d for d in docs}
    items = [(e, by_file[e.source_file]) for e in segment(docs, rules.segment)
             if isinstance(e, Entry)]
    seconds = {}
    start = time.perf_counter()
    spacy_docs = [extractor.prepare(reading_view(d.text[e.char_start:e.char_end]), e)
                  for e, d in items]
    seconds["tokenizer + sentence starts"] = time.perf_counter() - start
    for name, component in extractor.nlp.pipeline:
        start = time.perf_counter()
        for doc in spacy_docs:
            component(doc)
        seconds[name] = time.perf_counter() - start
    start = time.perf_counter()
    analyses = [extractor.analyse(doc, e, d.text) for doc, (e, d) in zip(spacy_docs, items)]
    seconds["field extractors (fields.py, names.py)"] = time.perf_counter() - start
    start = time.perf_counter()
    for analysis, (e, d) in zip(analyses, items):
        list(extractor.finish(analysis, e, d.text, d.links))
    seconds["facts and ids (Extractor.finish)"] = time.perf_counter() - start
    return {"entries": len(items), "seconds": {k: round(v, 3) for k, v in seconds.items()}}


def stages(folder: Path) -> dict:
    """CPU seconds of a whole in-process run, by stage: each stage's functions are wrapped
    with a timer (no profiler, so the figures are the run's own), and unwrapped afterwards
    (`components`, run next in the same process, times the plain functions). `TOKENIZER`: the
    seconds of spaCy's tokenizer, inside the stages that tokenise."""
    with contextlib.ExitStack() as patches:
        return _stages(folder, patches)


def _stages(folder: Path, patches: contextlib.ExitStack) -> dict:
    clock = time.process_time
    start = clock()
    import pipeline.dataset.formats as formats
    import pipeline.extract.extractor as extractor
    import pipeline.extract.nlp as nlp
    import pipeline.stages as stages_module
    from pipeline.cli import main

    seconds = {"imports": clock() - start}

    def timed(owner, name: str, label: str, generator: bool = False) -> None:
        function = getattr(owner, name)

        def call(*args, **kwargs):
            t = clock()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[label] = seconds.get(label, 0.0) + clock() - t

        def steps(*args, **kwargs):
            it = function(*args, **kwargs)
            while True:
                t = clock()
                try:
                    item = next(it)
                except StopIteration:
                    return
                finally:
                    seconds[label] = seconds.get(label, 0.0) + clock() - t
                yield item
        patches.enter_context(mock.patch.object(owner, name, steps if generator else call))

    timed(stages_module, "make_extractor", "build the pipeline")
    timed(stages_module, "load", "load rules")
    timed(stages_module, "ingested", "ingest", generator=True)
    timed(stages_module, "segment", "segment", generator=True)
    timed(extractor.Extractor, "prepare", "tokenise, sentence starts")
    timed(extractor.Extractor, "start_analysis", "names and acronyms")
    timed(extractor.Extractor, "match_piece", "field extractors")
    timed(extractor.Extractor, "finish", "facts and ids", generator=True)
    timed(formats.TableWriter, "write", "CSV and Parquet rows")      # (write flushes the
    timed(formats.TableWriter, "__exit__", "CSV and Parquet rows")   # Parquet batches)
    built = nlp.build_nlp

    def build(*args, **kwargs):
        pipe = built(*args, **kwargs)
        for kind in {type(component) for _, component in pipe.pipeline}:
            try:  # on the class: spaCy calls a component as `component(doc)`
                timed(kind, "__call__", "spaCy components")
            except TypeError:  # a class that cannot be patched (none here)
                pass
        pipe.tokenizer = TimedTokenizer(pipe.tokenizer, seconds, clock)
        return pipe
    patches.enter_context(mock.patch.object(nlp, "build_nlp", build))
    patches.enter_context(mock.patch.object(stages_module, "build_nlp", build))
    with tempfile.TemporaryDirectory() as out:
        t = clock()
        with contextlib.redirect_stdout(sys.stderr):
            main(["run", str(folder), "--out", out, "--quiet", "--allow-partial",
                  "--workers", "1"])
        seconds["run"] = clock() - t
    return {k: round(v, 3) for k, v in seconds.items()}


class TimedTokenizer:
    """spaCy's tokenizer, its calls' seconds added to `seconds[TOKENIZER]`: the time inside
    the stages (tokenising the entries, their shared docs and pieces) that is spaCy's own
    tokenizer's, whatever the pipeline does around it. (The Tokenizer is a Cython class: its
    `__call__` cannot be patched, so the pipeline's `nlp.tokenizer` is this.)"""

    def __init__(self, tokenizer, seconds: dict, clock) -> None:
        self._tokenizer, self._seconds, self._clock = tokenizer, seconds, clock

    def __call__(self, text: str):
        t = self._clock()
        try:
            return self._tokenizer(text)
        finally:
            self._seconds[TOKENIZER] = self._seconds.get(TOKENIZER, 0.0) + self._clock() - t

    def __getattr__(self, name: str):
        return getattr(self._tokenizer, name)


TOKENIZER = "of which spaCy's tokenizer"
SAMPLE_RATE = 250   # samples per second
FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")
STDLIB = re.compile(r"^.*/lib/python3\.\d+/")


def short_frame(frame: str) -> str:
    """'call (…/site-packages/spacy/language.py:1618)' -> 'spacy/language.py:call'."""
    m = FRAME.match(frame)
    if not m:
        return frame
    file = STDLIB.sub("", m.group("file").split("site-packages/", 1)[-1])
    return f"{file}:{m.group('name')}"


def summarise(raw: str, n: int = 15) -> dict:
    """py-spy's raw samples ('frame;frame;... count' per line, outermost frame first) as the
    functions with the most samples on top of the stack (`own`) and the package's functions
    with the most samples anywhere on it (`inclusive`), each with its share of the run's
    samples. Other threads (tqdm's monitor, waiting) are not the run and are left out."""
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [short_frame(f) for f in stack.split(";")]
        if frames[0].endswith(":_bootstrap"):
            continue
        k = int(count)
        total += k
        own[frames[-1]] += k
        for f in set(frames):
            if f.startswith("pipeline/"):
                inclusive[f] += k
    share = lambda c: [{"function": f, "share": round(k / total, 3)}  # noqa: E731
                       for f, k in c.most_common(n)]
    return {"samples": total, "rate": SAMPLE_RATE, "own": share(own) if total else [],
            "inclusive": share(inclusive) if total else []}


def sampled(folder: Path, n: int = 15) -> dict:
    """py-spy's samples of a whole `partners run` of the folder, in a process of its own
    (imports and exit included), summarised; an error when py-spy is not there (it comes with
    `pip install -e '.[bench]'`, which `make bench` runs)."""
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        return {"error": "py-spy is not installed: pip install -e '.[bench]'"}
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "samples.txt"
        done = subprocess.run(
            [spy, "record", "--rate", str(SAMPLE_RATE), "--format", "raw", "--output", str(raw),
             "--nonblocking", "--", sys.executable, "-m", "pipeline.cli", "run", str(folder),
             "--out", f"{tmp}/out", "--quiet", "--allow-partial", "--workers", "1"],
            capture_output=True, text=True)
        if done.returncode != 0 or not raw.exists():
            return {"error": f"py-spy failed: {done.stderr.strip()[-300:]}"}
        return summarise(raw.read_text(encoding="utf-8"), n)


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    print(json.dumps({"stages": stages(folder), "components": components(folder),
                      "sampled": sampled(folder)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
