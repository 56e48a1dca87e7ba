"""Dataset rows for the format tests: an organisation with every optional cell missing unless
given."""

from __future__ import annotations

from pipeline.model import Organisation


def org(n: int, **kw) -> Organisation:
    """Organisation number n (id "o<n>", offsets n to n+1), with the fields in `kw`."""
    base = dict(org_id=f"o{n}", name=f"Org {n}", acronyms=(), group="", founded_year=None,
                founded_date="", headquarters="", website="", host_relationship="none_stated",
                flags=(), source_file="raw/p.txt", source_sha256="0" * 64, char_start=n,
                char_end=n + 1)
    return Organisation(**{**base, **kw})
