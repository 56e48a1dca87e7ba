"""Load and validate rules/, and build the spaCy pipeline from them.

Reads: `rules/*.jsonl` (token patterns, one per line, each with an `id` and a `label`) and
`rules/*.yaml` (vocabularies). A pattern may name a vocabulary list instead of spelling it out:
`{"LOWER": {"IN": "@months"}}` takes the list `months` from `rules/vocabularies.yaml`.
A broken rule fails at load with the file, line and key (`RuleError`); nothing runs on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from pipeline.segment.labels import SegmentRules
from pipeline.settings import Host

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
# Pattern files: each becomes a SpanRuler writing to doc.spans[<name>].
PATTERN_FILES = ("founded", "headquarters", "membership", "host_relationship", "agreements",
                 "names", "website")


class RuleError(Exception):
    """A rule or vocabulary file that cannot be used."""


@dataclass
class Rules:
    """Everything loaded from rules/: patterns per ruler, vocabularies, segmenter words."""

    folder: Path
    patterns: dict[str, list[dict]] = field(default_factory=dict)
    vocab: dict[str, Any] = field(default_factory=dict)
    relationships: list[dict] = field(default_factory=list)
    segment: SegmentRules = None  # type: ignore[assignment]


def load_yaml(path: Path) -> Any:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise RuleError(f"{path}: {err}") from err
    _check_words(data, str(path))
    return data


def _check_words(data: Any, where: str) -> None:
    """Word lists hold strings only: YAML reads a bare `on` or `no` as a boolean."""
    if isinstance(data, dict):
        for key, value in data.items():
            _check_words(value, f"{where}: {key}")
    elif isinstance(data, list):
        for i, item in enumerate(data):
            if isinstance(item, bool):
                raise RuleError(f"{where}[{i}]: {item!r} read as a boolean; quote the word")
            _check_words(item, f"{where}[{i}]")


def expand_vocab(value: Any, vocab: dict[str, Any], where: str) -> Any:
    """Replace "@name" references with the vocabulary list they name."""
    if isinstance(value, str) and value.startswith("@"):
        name = value[1:]
        if name not in vocab or not isinstance(vocab[name], list):
            raise RuleError(f"{where}: unknown vocabulary list {value!r}")
        return list(vocab[name])
    if isinstance(value, dict):
        return {k: expand_vocab(v, vocab, where) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_vocab(v, vocab, where) for v in value]
    return value


def load_patterns(path: Path, vocab: dict[str, Any]) -> list[dict]:
    """Patterns of one JSONL file, validated: id and label present, ids unique."""
    patterns, seen = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path}:{n}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise RuleError(f"{where}: invalid JSON: {err}") from err
        for key in ("id", "label", "pattern"):
            if key not in item:
                raise RuleError(f"{where}: missing key {key!r}")
        if item["id"] in seen:
            raise RuleError(f"{where}: duplicate id {item['id']!r}")
        seen.add(item["id"])
        item["pattern"] = expand_vocab(item["pattern"], vocab, where)
        patterns.append({"id": item["id"], "label": item["label"], "pattern": item["pattern"]})
    return patterns


def load_rules(folder: Path = RULES_DIR) -> Rules:
    """Load every rule file; raise RuleError naming the file, line and key on a problem."""
    folder = Path(folder)
    vocab = load_yaml(folder / "vocabularies.yaml") or {}
    rel = load_yaml(folder / "host_relationship.yaml") or {}
    terms = rel.get("terms") if isinstance(rel, dict) else None
    if not isinstance(terms, list) or not all(isinstance(t, dict) and "term" in t
                                              and "definition" in t for t in terms):
        raise RuleError(f"{folder / 'host_relationship.yaml'}: 'terms' must list "
                        "{term, definition} items, strongest first")
    seg = load_yaml(folder / "segment.yaml") or {}
    segment_rules = SegmentRules(
        function_words=frozenset(w.lower() for w in seg.get("label_function_words", [])),
        head_nouns=frozenset(w.lower() for w in seg.get("organisation_head_nouns", [])),
        field_labels=frozenset(w.lower() for w in seg.get("field_labels", [])),
        max_label_words=int(seg.get("max_label_words", 12)),
        max_heading_chars=int(seg.get("max_heading_chars", 120)),
        min_capitalised_share=float(seg.get("min_capitalised_share", 0.5)))
    rules = Rules(folder=folder, vocab=vocab, relationships=terms, segment=segment_rules)
    for name in PATTERN_FILES:
        rules.patterns[name] = load_patterns(folder / f"{name}.jsonl", vocab)
    known = {t["term"] for t in terms}
    for p in rules.patterns["host_relationship"]:
        if p["label"] not in known:
            raise RuleError(f"{folder / 'host_relationship.jsonl'}: pattern {p['id']!r} has "
                            f"label {p['label']!r}, not a term of host_relationship.yaml")
    return rules


def host_patterns(host: Host) -> list[dict]:
    """Token patterns for mentions of the host: name, acronym and aliases."""
    patterns = []
    for i, mention in enumerate(host.mentions()):
        words = mention.split()
        # first word case-insensitive ("the Association" / "The Association"), the rest exact
        tokens = [{"LOWER": words[0].lower()}] + [{"ORTH": w} for w in words[1:]]
        if len(words) == 1:
            tokens = [{"ORTH": words[0]}]
        patterns.append({"label": "HOST", "pattern": tokens, "id": f"host.mention.{i}"})
    return patterns


TOKENIZER = "partners.Tokenizer.v1"
# "ICC(international Criminal Court)": split a bracket glued to a word.
GLUED_BRACKET = r"(?<=[A-Za-z0-9])[()](?=[A-Za-z])"


def partners_tokenizer():
    """spaCy's default tokenizer (`spacy.Tokenizer.v1`) with one more infix, GLUED_BRACKET.
    Built with it rather than given it afterwards: setting an infix on a built tokenizer
    loads its 2,700 special cases a second time (~0.1 s of every run's start-up)."""
    def make(nlp):
        from spacy.tokenizer import Tokenizer
        from spacy.util import (
            compile_infix_regex,
            compile_prefix_regex,
            compile_suffix_regex,
        )

        d = nlp.Defaults
        return Tokenizer(nlp.vocab, rules=d.tokenizer_exceptions,
                         prefix_search=compile_prefix_regex(d.prefixes).search,
                         suffix_search=compile_suffix_regex(d.suffixes).search,
                         infix_finditer=compile_infix_regex(
                             list(d.infixes) + [GLUED_BRACKET]).finditer,
                         token_match=d.token_match, url_match=d.url_match)

    return make


def build_nlp(rules: Rules, host: Host, gazetteer: Iterable[str] = ()):
    """The extraction pipeline: blank English, sentences, host and place entities, one
    SpanRuler per pattern file (pattern ids travel onto matches as Span.id_)."""
    import spacy

    from pipeline.extract import gazetteer as gz  # registers the component
    from pipeline.extract import span_ruler  # noqa: F401  (registers partners_span_ruler)

    spacy.registry.tokenizers.register(TOKENIZER, func=partners_tokenizer)
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True})
    ruler.add_patterns(host_patterns(host))
    nlp.add_pipe("partners_gazetteer", config={"label": "PLACE"})
    nlp.get_pipe("partners_gazetteer").set_names(gazetteer or gz.default_places())
    for name in PATTERN_FILES:
        # spaCy's SpanRuler, skipping documents without any word its patterns require
        span_ruler = nlp.add_pipe("partners_span_ruler", name=f"rules_{name}",
                                  config={"spans_key": name, "validate": True,
                                          "overwrite": True})
        try:
            span_ruler.add_patterns(rules.patterns[name])
        except ValueError as err:
            raise RuleError(f"{rules.folder / (name + '.jsonl')}: {err}") from err
    return nlp
