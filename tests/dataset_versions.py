"""Two versions of a small partner page and the dataset each yields, written like an export would.

V2 differs from V1 the realistic ways: a reworded introduction that moves every offset, a changed
membership count (ABA), a renamed organisation (AIMP -> AIAMP, new name and acronym), a new
partner (NPN) and a removed one (OLD). The IBA entry states the same things in a reworded
sentence ("established in 1947" -> "Founded in 1947"): new evidence, new offsets, no change.
Facts are placed by searching their evidence in the page text, so offsets are real.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.dataset.formats import TableWriter
from pipeline.model import TABLES, Agreement, Fact, Organisation, stable_id

SOURCE = "raw/page.txt"

V1 = """Cooperation with others

The Association has links with others.

ABA - American Bar Association - The ABA is the largest voluntary organization, with nearly 400,000 members. Founded in 1878, its headquarters are in Chicago.

AIMP - Ibero-American Association of Public Ministries - The AIAMP was established in 1954. It has 22 member countries and is based in Madrid.

IBA - International Bar Association - The IBA, established in 1947, has more than 80,000 individual members. The IAP signed a memorandum of understanding with the IBA in December 2003.

OLD - Obsolete League of Debaters - Founded in 1901, the League has 12 members.
"""

V2 = """Cooperation with other International Organisations

The Association has developed close links with associations and organisations that have similar objectives.

ABA - American Bar Association - The ABA is the largest voluntary organization, with nearly 410,000 members. Founded in 1878, its headquarters are in Chicago.

AIAMP - Ibero-American Association of Public Prosecutors - The AIAMP was established in 1954. It has 22 member countries and is based in Madrid.

IBA - International Bar Association - Founded in 1947, the IBA has more than 80,000 individual members. The IAP signed a memorandum of understanding with the IBA in December 2003.

NPN - New Prosecutors Network - Founded in 2015, the <b>Network</b> has more than 30 members.
"""

# (acronym, name, facts as (field, value, evidence, extra columns))
ENTRIES = {
    "ABA": [("membership", "400000", "nearly 400,000 members", {"qualifier": "nearly", "unit": "members"}),
            ("membership", "410000", "nearly 410,000 members", {"qualifier": "nearly", "unit": "members"}),
            ("founded", "1878", "Founded in 1878", {"date": "1878", "date_precision": "year"}),
            ("headquarters", "Chicago", "Chicago", {})],
    "AIMP": [("founded", "1954", "established in 1954", {"date": "1954", "date_precision": "year"}),
             ("membership", "22", "22 member countries", {"qualifier": "exact", "unit": "member countries"}),
             ("headquarters", "Madrid", "Madrid", {})],
    "IBA": [("founded", "1947", ("established in 1947", "Founded in 1947"), {"date": "1947", "date_precision": "year"}),
            ("membership", "80000", "more than 80,000 individual members",
             {"qualifier": "more than", "unit": "individual members"})],
    "OLD": [("founded", "1901", "Founded in 1901", {"date": "1901", "date_precision": "year"}),
            ("membership", "12", "12 members", {"qualifier": "exact", "unit": "members"})],
    "NPN": [("founded", "2015", "Founded in 2015", {"date": "2015", "date_precision": "year"}),
            ("membership", "30", "more than 30 members", {"qualifier": "more than", "unit": "members"})],
}
ENTRIES["AIAMP"] = ENTRIES["AIMP"]


def slug(*parts: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in " ".join(parts).lower()).split())


@dataclass
class Version:
    text: str
    organisations: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    agreements: list = field(default_factory=list)


def build(text: str, sha: str = "sha-v") -> Version:
    """The dataset a faithful extractor would produce for one of the page texts above."""
    version = Version(text)
    headings = [(i, line) for i, line in enumerate(text.splitlines(keepends=True))]
    offsets, pos = [], 0
    for _, line in headings:
        offsets.append((pos, line))
        pos += len(line)
    starts = [(p, line) for p, line in offsets if " - " in line]
    for k, (start, line) in enumerate(starts):
        end = start + len(line.rstrip("\n"))
        acronym, name = line.split(" - ")[:2]
        org_id = slug(acronym, name)
        entry = text[start:end]
        flags = ("acronym_mismatch:AIMP",) if acronym == "AIMP" else ()
        version.organisations.append(Organisation(
            org_id=org_id, name=name, acronyms=(acronym,), group="", founded_year=None,
            founded_date="", headquarters="", website="", host_relationship="", flags=flags,
            source_file=SOURCE, source_sha256=sha, char_start=start, char_end=end))
        add = lambda f, v, s, e, **kw: version.facts.append(Fact(  # noqa: E731
            fact_id=stable_id(org_id, f, v, s), org_id=org_id, field=f, value=v, evidence=text[s:e],
            source_file=SOURCE, source_sha256=sha, char_start=s, char_end=e,
            rule_id=kw.pop("rule_id", f"{f}.rule"), raw_value=text[s:e], **kw))
        add("acronym", acronym, start, start + len(acronym), rule_id="heading")
        name_start = start + len(acronym) + 3
        add("name", name, name_start, name_start + len(name), rule_id="heading")
        for fld, value, evidences, extra in ENTRIES[acronym]:
            for evidence in (evidences,) if isinstance(evidences, str) else evidences:
                at = entry.find(evidence)
                if at >= 0:
                    add(fld, value, start + at, start + at + len(evidence), **extra)
        if "memorandum" in entry:
            ev = "The IAP signed a memorandum of understanding with the IBA in December 2003."
            s = start + entry.index(ev)
            version.agreements.append(Agreement(
                agreement_id=stable_id(org_id, s), org_id=org_id, kind="mou",
                parties=("IAP", acronym), date="2003-12", date_precision="month", evidence=ev,
                source_file=SOURCE, source_sha256=sha, char_start=s, char_end=s + len(ev),
                link="", rule_id="agreement.mou"))
            add("host_relationship", "mou", s, s + len(ev), rule_id="relationship.mou")
    return version


def write(folder: Path, version: Version, issues: list[dict] = ()) -> Path:
    """Write a version as a dataset folder `folder/extracted` beside its source `folder/raw`."""
    (folder / "raw").mkdir(parents=True, exist_ok=True)
    (folder / SOURCE).write_text(version.text, encoding="utf-8")
    out = folder / "extracted"
    rows = {"organisations": version.organisations, "facts": version.facts,
            "agreements": version.agreements}
    for name, cls in TABLES.items():
        with TableWriter(cls, out / f"{name}.csv", out / f"{name}.parquet") as writer:
            for record in rows[name]:
                writer.write(record)
    (out / "issues.jsonl").write_text("".join(json.dumps(i) + "\n" for i in issues),
                                      encoding="utf-8")
    return out
