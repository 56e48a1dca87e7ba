"""Items that open with an organisation glossed in brackets and say more inside them:

    - OLACEFS (Organisation of Latin American and Caribbean Supreme Audit Institutions, established in 1965);
    - Arab Bar Union (ABU, founded in 1944)

One side of the bracket is an acronym, the other a name; a comma or semicolon inside the bracket
ends the name, and what follows it is the item's text. Reads: a span of a document's text.
Writes: a `Heading` ending with the name, or None.
"""

from __future__ import annotations

import re
from typing import Optional

from pipeline.segment.labels import Heading, SegmentRules, is_acronym, is_label, trimmed

# what stands before the bracket, the bracket's first part, and the comma or semicolon after it
GLOSS = re.compile(r"([^\s()][^()\n]{0,118}?)[ \t\u00a0]*\(([^(),;\n]{2,120}?)[ \t\u00a0]*[,;]")


def parse_glossed(text: str, start: int, end: int, rules: SegmentRules) -> Optional[Heading]:
    """The acronym and name of an item opening `ACR (Name, ...` or `Name (ACR, ...`."""
    start, end = trimmed(text, start, end)
    m = GLOSS.match(text, start, end)
    if not m:
        return None
    outer, inner = m.group(1), m.group(2)
    if is_acronym(outer) and not is_acronym(inner) and is_label(inner, rules):
        labels = (("acronym", m.start(1), m.end(1)), ("name", m.start(2), m.end(2)))
    elif is_acronym(inner) and not is_acronym(outer) and is_label(outer, rules) \
            and inner not in rules.common_acronyms:
        labels = (("name", m.start(1), m.end(1)), ("acronym", m.start(2), m.end(2)))
    else:
        return None
    return Heading(end=m.end(2), labels=labels)
