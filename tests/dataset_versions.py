"""Two versions of a small partner page and the dataset each yields, written like an export would.

V2 differs from V1 the realistic ways: a reworded introduction that moves every offset, a changed
membership count (ABA), a renamed organisation (AIMP -> AIAMP, new name and acronym), a new
partner (NPN) and a removed one (OLD). The IBA entry states the same things in a reworded
sentence ("established in 1947" -> "Founded in 1947"): new evidence, new offsets, no change.
Facts are placed by searching their evidence in the page text, so offsets are real, and every
row carries the page's real sha256, which `datapackage.json` lists as its source.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import typing
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional

import pytest

from pipeline import cli
from pipeline.dataset.datapackage import datapackage
from pipeline.dataset.formats import TableWriter, arrow_schema, csv_line, csv_to_value
from pipeline.dataset.metrics import Totals, build_metrics, count
from pipeline.model import (
    TABLES,
    Agreement,
    Document,
    Fact,
    Issue,
    Organisation,
    stable_id,
)
from pipeline.settings import Host

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


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build(text: str, sha: Optional[str] = None) -> Version:
    """The dataset a faithful extractor would produce for one of the page texts above (rows
    carry the page's sha256 unless `sha` says otherwise)."""
    sha = sha or sha256(text)
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


def registry_of(version: Version) -> "Registry":
    """The id registry a version's organisations were published with."""
    from pipeline.extract.org_ids import OrgRecord, Registry

    return Registry([OrgRecord(o.org_id, (o.name,), o.acronyms, SOURCE)
                     for o in version.organisations], "rules/org_ids.yaml")


def with_overrides(version: Version, folder: Path, *items: dict) -> tuple[Version, list[dict]]:
    """The version as export makes it with these overrides (rules in `folder/overrides.yaml`):
    its records overridden, and the issues the overrides raised, as issues.jsonl holds them."""
    import yaml

    from pipeline.dataset.override_apply import OverrideTracker
    from pipeline.dataset.overrides import load_overrides

    path = folder / "overrides.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(list(items), sort_keys=False), encoding="utf-8")
    tracker = OverrideTracker(load_overrides(path, registry_of(version)))
    out = Version(version.text, list(version.organisations))
    out.facts, out.agreements, issues = apply_overrides(tracker, version)
    return out, [dataclasses.asdict(i) for i in issues]


def apply_overrides(tracker, version: Version) -> tuple[list, list, list]:
    """Facts, agreements and issues of a version with a tracker's overrides applied to every
    organisation in turn, as export applies them, and the overrides left over."""
    facts, agreements, issues = [], [], []
    for org in version.organisations:
        f, a, i = tracker.apply(org.org_id, [x for x in version.facts if x.org_id == org.org_id],
                                [x for x in version.agreements if x.org_id == org.org_id])
        facts, agreements, issues = facts + f, agreements + a, issues + i
    return facts, agreements, issues + [i for _, i in tracker.leftovers()]


def write(folder: Path, version: Version, issues: list[dict] = ()) -> Path:
    """Write a version as a dataset folder `folder/extracted` beside its source `folder/raw`,
    with the files a run writes: the tables, issues.jsonl, metrics.json and datapackage.json."""
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
    totals = Totals(agreements=len(version.agreements))
    for org in version.organisations:
        count(totals, org, [f for f in version.facts if f.org_id == org.org_id])
    metrics = build_metrics(totals, [SOURCE], [], Counter(Issue(**i).reason for i in issues))
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    sha = version.organisations[0].source_sha256 if version.organisations else sha256(version.text)
    document = Document(source_file=SOURCE, source_sha256=sha, text=version.text,
                        media_type="text/plain", encoding="utf-8", text_sha256=sha)
    # the pipeline names the source as given (from the project folder) and lists it from the
    # descriptor's folder: here the project folder is `folder`, not the working directory
    package = datapackage([replace(document, source_file=str(folder / SOURCE))],
                          Host("International Association of Prosecutors", "IAP"), out)
    (out / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
    return out


Rows = list[list[str]]


def edit_table(out: Path, table: str, edit: Callable[[Rows], Rows]) -> None:
    """Edit a table's CSV rows (the header first) and write its Parquet file to agree, as the
    pipeline would have written both: a known column typed as the model says, another as text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = out / f"{table}.csv"
    rows = edit(list(csv.reader(path.open(encoding="utf-8", newline=""))))
    path.write_text("".join(csv_line(r) for r in rows), encoding="utf-8")
    cls, header = TABLES[table], rows[0]
    hints, schema = typing.get_type_hints(cls), arrow_schema(cls)
    columns, fields = {}, []
    for i, name in enumerate(header):
        known = name in hints
        fields.append(schema.field(name) if known else pa.field(name, pa.string()))
        columns[name] = [csv_to_value(r[i], hints[name]) if known else r[i] for r in rows[1:]]
    pq.write_table(pa.table(columns, schema=pa.schema(fields)), out / f"{table}.parquet")


# --- fixtures of the versions tests (imported by name into each test module: a second
# conftest.py would shadow tests/conftest.py for the tests that `from conftest import …`) ---

# Issues of the review project: one in the preamble, one inside NPN's entry, one naming IBA.
PROJECT_ISSUES = [
    {"source": "raw/page.txt:40-60", "stage": "segment", "reason": "unparsed_paragraph",
     "detail": "<script>alert(1)</script> a paragraph without a heading"},
    {"source": "raw/page.txt:680-690", "stage": "extract", "reason": "unparsed_sentence",
     "detail": "a sentence no rule read"},
    {"source": "raw/page.txt", "stage": "extract", "reason": "date_disagreement",
     "detail": "iba-international-bar-association: 1947 in the text, 1946 in a link"}]


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """The dataset folders of page V1 and page V2, each beside its own raw/."""
    old = write(tmp_path / "v1", build(V1))
    new = write(tmp_path / "v2", build(V2))
    return old, new


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder holding the new dataset, its source, and the old dataset beside it."""
    write(tmp_path / "old", build(V1))
    write(tmp_path, build(V2), issues=PROJECT_ISSUES)
    return tmp_path


@pytest.fixture
def partners_cli(capsys):
    """`partners ARGV...` in this process: (exit code, stdout, stderr)."""
    def call(*argv: str) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err
    return call
