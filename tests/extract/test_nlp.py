"""pipeline.extract.nlp: the spaCy pipeline built from the rules, its tokenizer and host."""

from __future__ import annotations

import json
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.nlp import (
    GLUED_BRACKET,
    TOKENIZER,
    build_nlp,
    host_patterns,
    mark_line_starts,
)
from pipeline.extract.rules import RuleError, load_rules
from pipeline.settings import Host


def extract_one(nlp, rules, host, text):
    """The one extraction of a one-entry text, by an Extractor on `nlp`."""
    from pipeline.extract.extractor import Extractor
    from pipeline.ingest.reader import Source, bytes_to_document
    from pipeline.segment.segmenter import document_to_entries

    doc = bytes_to_document(text.encode(), Source("p.txt", "text/plain"))
    entries, _, _ = document_to_entries(doc, rules.segment)
    (x,) = [r for r in Extractor(nlp, rules, host).run((e, doc) for e in entries)]
    return x


def test_nlp_tokenizer_is_registered_on_import():
    import spacy

    assert spacy.registry.tokenizers.get(TOKENIZER)  # no build_nlp needed first
    assert GLUED_BRACKET


def test_nlp_tokenizer_splits_a_bracket_glued_to_a_word(nlp):
    assert [t.text for t in nlp.make_doc("ICC(international Criminal Court)")][:3] == \
        ["ICC", "(", "international"]


@pytest.mark.parametrize("host,expected", [
    (Host("The Association", "TA"), [[{"LOWER": "the"}, {"ORTH": "Association"}],
                                     [{"ORTH": "TA"}]]),
    (Host(), []),
])
def test_nlp_host_patterns(host, expected):
    assert [p["pattern"] for p in host_patterns(host)] == expected


def test_nlp_host_is_configurable(rules):
    host = Host("European Judicial Training Network", "EJTN", ("the Network",))
    nlp = build_nlp(rules, host, gazetteer=["Brussels"])
    x = extract_one(nlp, rules, host,
                    "ABC - Alpha Beta Council - The Network has developed close links with ABC.\n")
    assert [f.value for f in x.facts if f.field == "host_relationship"] == ["relationship"]


def test_nlp_page_without_a_host_has_no_empty_entity_ruler(rules):
    nlp = build_nlp(rules, Host(), gazetteer=["Brussels"])
    assert "entity_ruler" not in nlp.pipe_names
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x = extract_one(nlp, rules, Host(), "ABC - Alpha Beta Council - The Network has "
                        "developed close links with ABC. It signed an agreement with the "
                        "Council on 7 March 2014. It is based in Brussels.\n")
    assert not [w for w in caught if "W036" in str(w.message)]
    assert [f.value for f in x.facts if f.field == "host_relationship"] == []
    assert [f.value for f in x.facts if f.field == "headquarters"] == ["Brussels"]


def test_nlp_invalid_token_pattern_fails_when_the_pipeline_is_built(tmp_path, host):
    import shutil

    from pipeline.extract.rules import RULES_DIR

    rules_copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules_copy)
    path = rules_copy / "website.jsonl"
    path.write_text(json.dumps({"id": "w", "label": "website", "pattern": [{"NOPE": 1}]}) + "\n")
    with pytest.raises((RuleError, ValueError), match="NOPE|website"):
        build_nlp(load_rules(rules_copy), host, gazetteer=["Chicago"])


# --- the built pipeline saved with nlp.to_disk reads back with spacy.load --------------------


def annotations(doc) -> dict:
    """Everything the pipeline writes: tokens, sentence starts, entities, every spans group."""
    return {"tokens": [t.text for t in doc],
            "sent_starts": [t.i for t in doc if t.is_sent_start],
            "ents": [(e.label_, e.start, e.end, e.id_) for e in doc.ents],
            "spans": {key: [(s.label_, s.start, s.end, s.id_) for s in group]
                      for key, group in sorted(doc.spans.items())}}


def test_nlp_saved_pipeline_loads_with_spacy_load_and_matches_the_same(nlp, tmp_path, iap_text):
    import spacy

    import pipeline.extract.nlp  # noqa: F401  (registers the tokenizer and the components)

    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert loaded.pipe_names == nlp.pipe_names
    fields, loaded_fields = nlp.get_pipe("field_rules"), loaded.get_pipe("field_rules")
    assert loaded_fields.owners == fields.owners and fields.owners   # compiled on load
    for name, ruler in fields.rulers.items():
        assert loaded_fields.rulers[name].patterns == ruler.patterns
    assert loaded.get_pipe("partners_gazetteer").names == nlp.get_pipe("partners_gazetteer").names
    built, read_back = annotations(nlp(iap_text)), annotations(loaded(iap_text))
    assert read_back == built
    assert built["ents"] and all(built["spans"][key] for key in ("founded", "headquarters",
                                                                 "membership", "agreements"))


def test_nlp_components_declare_what_they_assign_and_require(nlp):
    from spacy.language import Language

    assert Language.get_factory_meta("partners_field_rules").assigns == ["doc.spans"]
    assert "token.is_sent_start" in Language.get_factory_meta("partners_field_rules").requires
    assert Language.get_factory_meta("partners_span_ruler").assigns == ["doc.spans"]
    assert "doc.ents" in Language.get_factory_meta("partners_gazetteer").assigns
    assert all(not problems for problems in nlp.analyze_pipes()["problems"].values())


# --- sentence starts at line breaks and at the body ------------------------------------------

def line_starts_token_by_token(doc, body):
    """Which tokens start a sentence, read token by token: after a token holding a line break,
    and at the first word at or after the body's start."""
    starts, body_started = set(), body <= 0
    for tok in doc[1:]:
        before = doc[tok.i - 1]
        if before.is_space and "\n" in before.text:
            starts.add(tok.i)
        if not body_started and tok.idx >= body and not (tok.is_punct or tok.is_space):
            starts.add(tok.i)
            body_started = True
    return starts


@given(st.text(alphabet="ab. \n\t\r-()“\u00a0", max_size=60), st.integers(-3, 70))
def test_mark_line_starts_marks_what_a_token_by_token_reading_marks(nlp, text, body):
    doc = nlp.make_doc(text)
    mark_line_starts(doc, text, body)
    assert {t.i for t in doc[1:] if t.is_sent_start} == line_starts_token_by_token(doc, body)


@given(st.text(alphabet="ab. \n\t\r-()“\u00a0", max_size=60), st.integers(-3, 70))
def test_mark_line_starts_sets_the_same_starts_as_an_array(nlp, text, body):
    """Many starts in a long doc are set as one array (each token's setter reads every token):
    the same starts as token by token."""
    import pipeline.extract.nlp as nlp_module

    each, whole = nlp.make_doc(text), nlp.make_doc(text)
    mark_line_starts(each, text, body)
    saved, nlp_module.EACH_START = nlp_module.EACH_START, 0
    try:
        mark_line_starts(whole, text, body)
    finally:
        nlp_module.EACH_START = saved
    assert [t.is_sent_start for t in whole] == [t.is_sent_start for t in each]


@given(st.text(alphabet="ab.' \n\t\r\u00a0\u2014", max_size=60))
def test_the_tokenizer_without_whitespace_special_cases_splits_as_spacy_does(nlp, text):
    """The special cases of " ", "\\t" and "\\n" are left out (they stopped the tokenizer's cache
    for the rest of a text); the tokens are spaCy's all the same, norms included."""
    import spacy

    spacy_tokens = spacy.blank("en").tokenizer(text)   # spaCy's default: every special case
    ours = nlp.tokenizer(text)
    assert [(t.text, t.whitespace_, t.norm_) for t in ours] == \
        [(t.text, t.whitespace_, t.norm_) for t in spacy_tokens]


def test_the_tokenizer_keeps_special_cases_other_than_plain_whitespace(nlp):
    from pipeline.extract.nlp import caching_exceptions

    exceptions = nlp.Defaults.tokenizer_exceptions
    kept = caching_exceptions(exceptions)
    assert set(exceptions) - set(kept) == {" ", "\t", "\n"}
    assert "\u00a0" in kept and "don't" in kept


def test_mark_line_starts_examples(nlp):
    text = "ICC - Court\n\n  The Court, founded in 2002.\nIt sits in The Hague."
    doc = nlp.make_doc(text)
    mark_line_starts(doc, text, text.index(" - ") + 3)
    assert [t.text for t in doc if t.is_sent_start] == ["ICC", "Court", "The", "It"]
