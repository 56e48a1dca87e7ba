"""The sentences of plain text, as character spans: a stop (. ! ?) before a capital, an opening
quote or bracket, or a line end. Used by the prose reader (`segment.prose`), which makes its
entries of sentences and accounts for each, and by the units a structure keeps."""

from __future__ import annotations

import re

# A sentence ends at . ! ? before a capital (or an opening quote or bracket), or at a line end.
# A match starts at the stop, which stays with its sentence: a pattern opening with one class of
# these characters lets the regex engine skip to them (one opening with a look-behind at the
# stop, or with two alternatives, `[.!?]...|\n`, tried every character of a page).
SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)|(?<=[.!?])[\"”’)]?[ \t\u00a0]+"
                          r"(?=[A-Z“\"‘(]))")


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the sentences of text[start:end], without surrounding spaces."""
    out, pos = [], start
    # from the character before `start`: a stop there ends a sentence before the span (and a
    # line break there, an empty one)
    for m in list(SENTENCE_END.finditer(text, max(start - 1, 0), end)) + [None]:
        stop = m.start() + 1 if m else end   # the stop's character (a line break: trimmed)
        # trimmed by `str.strip`, whose spaces are `str.isspace`'s
        lead = text[pos:stop].lstrip()
        if lead:
            s = stop - len(lead)
            out.append((s, s + len(lead.rstrip())))
        pos = m.end() if m else end
    return out
