"""The pipeline's relationship vocabulary mapped to the gold's, for scoring `relationship`.

Pipeline: rules/host_relationship.yaml (agreement, mou, organisational_member_of_host, ...).
Gold: the corpus README (mou, agreement, member_of_host, host_is_member, consultative_status,
observer, partner, cooperation, no_formal_link; `type: null` when no relation is stated).
"""

from __future__ import annotations

from typing import Optional

# The pipeline's host_relationship vocabulary (rules/host_relationship.yaml) -> the gold's.
# None: states no relationship. A term missing here (a new one) is kept as it is, so it can only
# count as wrong until it is mapped, never silently as right.
RELATIONSHIP_MAP: dict[str, Optional[str]] = {
    "agreement": "agreement",
    "mou": "mou",
    "organisational_member_of_host": "member_of_host",
    "host_member_of": "host_is_member",
    "consultative_status": "consultative_status",
    "observer_status": "observer",
    "partner": "partner",
    "cooperation": "cooperation",
    # gold `cooperation` is "stated cooperation without a named instrument": the pipeline's
    # weaker links (committees the host is associated with, ties, taking part in its work,
    # membership open to the host's members) are that.
    "associated": "cooperation",
    "relationship": "cooperation",
    "participation": "cooperation",
    "membership_open_to_host_members": "cooperation",
    "no_formal_link": "no_formal_link",
    "none_stated": None,
    "": None,
}


def map_relationship(term: str) -> Optional[str]:
    """The gold relationship type for a pipeline term (None: no relationship stated)."""
    term = (term or "").strip()
    return RELATIONSHIP_MAP.get(term, term)
