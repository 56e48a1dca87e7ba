"""Sentence starts by punctuation, as spaCy's `sentencizer` sets them, read from token arrays.

spaCy's `Sentencizer.predict` walks the doc a `Token` at a time, making a Python object of
every token to read its text and `is_punct`: 2.6% of the instructions of a run over the real
pages, net of start-up. This component is that sentencizer (same rule, same settings, same
serialisation) with `predict` reading the doc's ORTH and IS_PUNCT columns, which the
components share through `gate.DocIndex`.

The rule: the first token starts a sentence, and so does the first token after a sentence
punctuation character (`punct_chars`) that is neither punctuation nor one of those
characters. Starts already set (a line break, a heading's end: `nlp.mark_starts`) are kept
unless `overwrite`, as spaCy's `set_annotations` does.
"""

from __future__ import annotations

from itertools import compress
from typing import Callable, Optional

from spacy.attrs import IS_PUNCT, ORTH
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id

from pipeline.extract.gate import DocIndex

FACTORY = "partners_sentencizer"


@Language.factory(FACTORY, assigns=["token.is_sent_start", "doc.sents"],
                  default_config={"punct_chars": None, "overwrite": False,
                                  "scorer": {"@scorers": "spacy.senter_scorer.v1"}},
                  default_score_weights={"sents_f": 1.0, "sents_p": 0.0, "sents_r": 0.0})
def make_sentencizer(nlp: Language, name: str, punct_chars: Optional[list],
                     overwrite: bool, scorer: Optional[Callable]) -> "ArraySentencizer":
    return ArraySentencizer(name, punct_chars=punct_chars, overwrite=overwrite, scorer=scorer)


class ArraySentencizer(Sentencizer):
    """spaCy's `Sentencizer`, its `predict` reading token arrays instead of `Token`s."""

    _orths_of: Optional[set] = None   # the punct_chars set the hashes below were taken of
    _orths: frozenset = frozenset()

    def punct_orths(self) -> frozenset:
        """The ORTH hashes of `punct_chars` (again after `from_bytes`/`from_disk` reset it)."""
        if self._orths_of is not self.punct_chars:
            self._orths = frozenset(get_string_id(c) for c in self.punct_chars)
            self._orths_of = self.punct_chars
        return self._orths

    def predict(self, docs) -> list[list[bool]]:
        """For each doc, whether each token starts a sentence (`Sentencizer.predict`'s): the
        stops are picked in C, and from each only the tokens up to the next start are read."""
        stops = self.punct_orths()
        guesses = []
        for doc in docs:
            n = len(doc)
            guess = [False] * n
            if n:
                index = DocIndex.of(doc)
                orths, punct = index.column(doc, ORTH), index.column(doc, IS_PUNCT)
                guess[0] = True
                start = 0   # the last start given after a stop (never a stop itself)
                for stop in compress(range(n), map(stops.__contains__, orths)):
                    if stop < start:   # a stop before the last start: that start follows it
                        continue
                    start = stop + 1
                    while start < n and (punct[start] or orths[start] in stops):
                        start += 1
                    if start == n:
                        break
                    guess[start] = True
            guesses.append(guess)
        return guesses
