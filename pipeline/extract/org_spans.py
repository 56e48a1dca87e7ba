"""ORG spans in spaCy: the entity layer (`segment.organisations`) as a pipeline component.

Reads: a `Doc`'s text and the segmenter's words (`SegmentRules`, given to `set_rules`, saved
with the pipeline). Writes: `doc.spans["ORG"]`, one span per mention of an organisation (its
name or acronym), label ORG, with the rule that found the organisation as `Span.id_`
(org.definition / names.definition_*, org.head_noun, org.acronym). Field patterns can then
match over organisations found once instead of spelling names out.
"""

from __future__ import annotations

import dataclasses

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import from_bytes, from_disk, to_bytes, to_disk

from pipeline.segment.labels import SegmentRules
from pipeline.segment.organisations import find_organisations

LABEL = "ORG"
RULES_FILE = "rules"  # the words' file in a saved pipeline (nlp.to_disk)


@Language.factory("partners_organisations", default_config={"spans_key": LABEL},
                  assigns=["doc.spans"])
def make_organisations(nlp: Language, name: str, spans_key: str) -> "Organisations":
    """An ORG finder writing to doc.spans[spans_key]; its words are set after (or loaded)."""
    return Organisations(spans_key)


def rules_to_json(rules: SegmentRules) -> dict:
    """The words as JSON: sets as sorted lists."""
    return {k: sorted(v) if isinstance(v, frozenset) else v
            for k, v in dataclasses.asdict(rules).items()}


def rules_from_json(data: dict) -> SegmentRules:
    """The words saved by rules_to_json."""
    kinds = {f.name: type(f.default) for f in dataclasses.fields(SegmentRules)}

    def typed(k: str, v):
        if not isinstance(v, list):
            return v
        if kinds.get(k) is tuple:   # pairs such as column_labels: JSON made them lists
            return tuple(tuple(x) if isinstance(x, list) else x for x in v)
        return frozenset(v)
    return SegmentRules(**{k: typed(k, v) for k, v in data.items()})


class Organisations:
    """Finds organisations (`match`) and writes their mentions as ORG spans (`set_annotations`)."""

    def __init__(self, spans_key: str = LABEL):
        self.spans_key = spans_key
        self.rules = None

    def set_rules(self, rules: SegmentRules) -> None:
        """The words the entity layer uses (rules/segment.yaml and rules/organisations.yaml)."""
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[int, int, str]]:
        """(start char, end char, rule id) of every mention of an organisation."""
        if self.rules is None:
            return []
        found = find_organisations(doc.text, 0, len(doc.text), self.rules)
        return sorted((s, e, org.rule_id) for org in found for s, e in org.mentions)

    def set_annotations(self, doc: Doc, found: list[tuple[int, int, str]]) -> None:
        spans = []
        for start, end, rule_id in found:
            span = doc.char_span(start, end, label=LABEL, span_id=rule_id,
                                 alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = spans

    def to_disk(self, path, *, exclude=()) -> None:
        """Save the words (`nlp.to_disk`)."""
        to_disk(path, {RULES_FILE: lambda p: srsly.write_json(p, rules_to_json(self.rules))},
                exclude)

    def from_disk(self, path, *, exclude=()) -> "Organisations":
        """Load the words saved by `to_disk` (`spacy.load`)."""
        from_disk(path, {RULES_FILE: lambda p: self.set_rules(
            rules_from_json(srsly.read_json(p)))}, exclude)
        return self

    def to_bytes(self, *, exclude=()) -> bytes:
        return to_bytes({RULES_FILE: lambda: srsly.json_dumps(rules_to_json(self.rules))},
                        exclude)

    def from_bytes(self, data: bytes, *, exclude=()) -> "Organisations":
        from_bytes(data, {RULES_FILE: lambda b: self.set_rules(
            rules_from_json(srsly.json_loads(b)))}, exclude)
        return self
