"""Shared fixtures: the rules and the spaCy pipeline are built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IAP_PAGE = ROOT / "raw" / "iap-co-operation-with-others.txt"


def project_host():
    """The host the project is configured with (params.yaml's `host:`), as the CLI takes it."""
    import yaml

    from pipeline.settings import Host

    return Host.from_params(yaml.safe_load((ROOT / "params.yaml").read_text())["host"])


def project_settings(**settings):
    """Run settings with the project's host, as `partners run` in the checkout has them."""
    from pipeline.settings import Settings

    return Settings(**{"host": project_host(), **settings})

# Property tests: a bounded number of examples in CI; HYPOTHESIS_PROFILE=long for a longer run.
try:
    from hypothesis import HealthCheck, settings

    # derandomized: the same examples on every run, so a red CI is a reproducible one; the
    # long profile explores (and stores what it finds in .hypothesis/)
    settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("long", max_examples=2000, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # pragma: no cover
    pass


@pytest.fixture(scope="session")
def rules():
    from pipeline.extract.rules import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def host():
    return project_host()


@pytest.fixture(scope="session")
def nlp(rules, host):
    from pipeline.extract.nlp import build_nlp

    return build_nlp(rules, host)


@pytest.fixture(scope="session")
def extractor_factory(nlp, rules, host):
    """A fresh Extractor (its org-id registry is per run) sharing the session's pipeline."""
    from pipeline.extract.extractor import Extractor

    return lambda registry=None: Extractor(nlp, rules, host, registry=registry)


@pytest.fixture(scope="session")
def iap_text() -> str:
    return IAP_PAGE.read_text(encoding="utf-8")


@pytest.fixture
def extract_text(rules, extractor_factory):
    """Segment and extract a text: returns (entries, extractions, issues)."""
    from pipeline.ingest.reader import Source, bytes_to_document
    from pipeline.model import Entry, Extraction, Issue
    from pipeline.segment.segmenter import segment

    def run(text: str, name: str = "page.txt", host=None, registry=None):
        """host: another host than the project's (segmented with it, its own pipeline);
        registry: the org id registry the extractor gives ids by."""
        doc = bytes_to_document(text.encode("utf-8"), Source(path=name, media_type="text/plain"))
        entries, issues = [], []
        for record in segment([doc], rules.segment, *([host] if host else [])):
            if isinstance(record, Entry):
                entries.append(record)
            elif isinstance(record, Issue):
                issues.append(record)
        extractions = []
        extractor = (extractor_factory(registry) if host is None
                     else _extractor_for(rules, host, registry))
        for record in extractor.run((e, doc) for e in entries):
            (extractions if isinstance(record, Extraction) else issues).append(record)
        return entries, extractions, issues

    return run


_PIPELINES: dict = {}   # a pipeline per other host (its HOST entities differ)


def _extractor_for(rules, host, registry=None):
    from pipeline.extract.extractor import Extractor
    from pipeline.extract.nlp import build_nlp

    if host not in _PIPELINES:
        _PIPELINES[host] = build_nlp(rules, host)
    return Extractor(_PIPELINES[host], rules, host, registry=registry)


def facts_of(extractions, field=None):
    """All facts of the extractions (optionally one field), as (org_id, field, value) rows."""
    return [f for x in extractions for f in x.facts if field is None or f.field == field]


def one(extractions, field):
    """The values of one field; counts as (qualifier, value, unit)."""
    return [(f.qualifier, f.value, f.unit) if field in ("membership", "founding_members")
            else f.value for f in facts_of(extractions, field)]


@pytest.fixture
def run_raw(tmp_path, monkeypatch, nlp):
    """Run every stage in this process on a raw folder, with the session's spaCy pipeline;
    returns the dataset read back (tests/hardening.py checks CSV == Parquet on the way)."""
    from hardening import read_dataset

    from pipeline import stages
    from pipeline.extract.extractor import Extractor

    monkeypatch.setattr(stages, "make_extractor", lambda rules, s, registry=None: Extractor(
        nlp, rules, s.host, s.languages, s.batch_size, registry))

    def run(raw, out=None, **settings):
        out = out or tmp_path / "out"
        stages.run_all([str(raw)], out, project_settings(**settings))
        return read_dataset(out)

    return run
