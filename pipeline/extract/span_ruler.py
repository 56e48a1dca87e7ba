"""A spaCy SpanRuler that does not run its Matcher on documents its patterns cannot match.

Matching is most of the cost of extraction, and most entries match none of a ruler's patterns
(a founding date is stated in a third of the entries, an alias in one in thirty). A token
pattern nearly always has a token that must be present and is spelled out
(`{"LOWER": {"IN": ["founded", ...]}}`, `{"ORTH": "set"}`); a document that contains none of a
pattern's such words cannot match it (a pattern may need several: a founding verb and "in"),
and when no pattern of a ruler can match, the ruler writes its empty result without matching.
Everything else is spaCy's SpanRuler, unchanged: the same spans, the same `Span.id_`. A pattern
without such a token (or a phrase pattern) keeps its ruler ungated.

Reads: a tokenised doc (with entities and sentence starts, which patterns may use). Writes:
`doc.spans[spans_key]`, one span per match with its pattern's id.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.pipeline.span_ruler import SpanRuler
from spacy.strings import hash_string
from spacy.tokens import Doc

# "OP" values under which a token must occur at least once: none, "+", "{2}", "{1,3}", "{1,}"
AT_LEAST_ONE = re.compile(r"^(\+|1|\{[1-9]\d*(,\d*)?\})$")
LOWERS_KEY = "partners_gate_lowers"


# Patterns may read entities (`ENT_TYPE`: HOST, PLACE) and sentence starts (`IS_SENT_START`).
@Language.factory("partners_span_ruler", assigns=["doc.spans"],
                  requires=["doc.ents", "token.ent_type", "token.is_sent_start"],
                  default_config={"spans_key": "ruler", "validate": False, "overwrite": True})
def make_gated_span_ruler(nlp: Language, name: str, spans_key: str, validate: bool,
                          overwrite: bool) -> "GatedSpanRuler":
    """A GatedSpanRuler writing to doc.spans[spans_key] (spaCy's span_ruler settings)."""
    return GatedSpanRuler(nlp, name, spans_key=spans_key, validate=validate, overwrite=overwrite)


def literal_words(spec: dict) -> Optional[frozenset]:
    """Lowercase words one of which the token of `spec` must be; None when not spelled out."""
    best = None
    for key, value in spec.items():
        if key.upper() not in ("LOWER", "ORTH", "TEXT"):
            continue
        if isinstance(value, str):
            words = frozenset([value.lower()])
        elif isinstance(value, dict) and "IN" in value and set(value) <= {"IN", "NOT_IN"} \
                and all(isinstance(v, str) for v in value["IN"]):
            words = frozenset(v.lower() for v in value["IN"])
        else:
            continue
        if best is None or len(words) < len(best):
            best = words
    return best


def required_words(pattern: Any) -> Optional[tuple]:
    """Sets of words, each of which must have a member in a document for `pattern` to match;
    None if the pattern has no such set (or is a phrase pattern)."""
    if not isinstance(pattern, list):
        return None
    required = []
    for spec in pattern:
        op = next((v for k, v in spec.items() if k.upper() == "OP"), None)
        if op is not None and not AT_LEAST_ONE.match(str(op)):
            continue
        words = literal_words(spec)
        if words is not None:
            required.append(frozenset(hash_string(w) for w in words))
    return tuple(required) or None


def doc_lowers(doc: Doc) -> set:
    """Hashes of the lowercase forms of the document's tokens (once per document)."""
    lowers = doc.user_data.get(LOWERS_KEY)
    if lowers is None:
        lowers = doc.user_data[LOWERS_KEY] = set(doc.to_array(LOWER).tolist())
    return lowers


class GatedSpanRuler(SpanRuler):
    """SpanRuler + a gate: per pattern, the sets of words (hashed) its matches need; None
    when some pattern needs none (then every document is matched).

    Saved and loaded as spaCy's SpanRuler (its patterns); loading clears the patterns and adds
    them again, and both refresh the gate, so a loaded ruler gates as the one saved."""

    gate: Optional[tuple] = None

    def match(self, doc: Doc):
        """spaCy's matches, or none without matching when the gate says none can be."""
        if self.gate is not None and not self.could_match(doc_lowers(doc)):
            return []
        return super().match(doc)

    def could_match(self, lowers: set) -> bool:
        """Whether some pattern has a word of each of its required sets among `lowers`."""
        return any(all(not words.isdisjoint(lowers) for words in required)
                   for required in self.gate)

    def _refresh_gate(self) -> None:
        gate = []
        for pattern in self.patterns:
            required = required_words(pattern["pattern"])
            if required is None:
                self.gate = None
                return
            gate.append(required)
        self.gate = tuple(gate) or None

    def add_patterns(self, patterns) -> None:
        """Add patterns (spaCy's add_patterns) and refresh the gate."""
        super().add_patterns(patterns)
        self._refresh_gate()

    def remove(self, label: str) -> None:
        """Remove a label's patterns and refresh the gate."""
        super().remove(label)
        self._refresh_gate()

    def remove_by_id(self, pattern_id: str) -> None:
        """Remove a pattern by id and refresh the gate."""
        super().remove_by_id(pattern_id)
        self._refresh_gate()

    def clear(self) -> None:
        """Remove every pattern (also the first step of from_disk) and refresh the gate."""
        super().clear()
        self._refresh_gate()
