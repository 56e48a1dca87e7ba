"""datapackage.json: the Frictionless descriptor of the dataset, derived from `pipeline.model`.

Reads: the documents of the run (their files, hashes, URLs, saved texts), the host and the
licence. Writes nothing itself: `export` writes the descriptor it returns.

- Each table's CSV is a tabular resource (`<table>-csv`) with its schema: types, the columns
  that are never missing (`required`), `missingValues: [""]`, the primary key and the foreign
  keys to `organisations`. `frictionless validate` checks every cell, key and reference.
- Each table's Parquet file is a resource of its own (`<table>-parquet`, `type: file`) with
  the same schema: Frictionless reads Parquet through pandas, which hands it lists as NumPy
  arrays and empty integers as NaN, so it would report errors that are not in the file. The
  package is therefore a `data-package`, not a `tabular-data-package` (that profile admits
  tabular resources only).
- `sources`: one per input page, `title` and `path` as the standard has them (`path` is the
  URL the page was captured from: a standard path may not leave the descriptor's folder with
  `..`), and what the run knows of the file: `file` (relative to this descriptor, e.g.
  `../raw/page.txt`), `sha256`, `media_type`, `encoding`, and for HTML and PDF pages the saved
  `text_file` (relative to this descriptor) with its `text_sha256`.
"""

from __future__ import annotations

import os
import typing
from pathlib import Path
from typing import Any, Optional, Sequence

from pipeline.dataset.formats import is_list, may_be_missing
from pipeline.model import TABLES, columns
from pipeline.settings import Host, Licence

CSV_DIALECT = {"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": "\n",
               "quoteChar": '"'}
PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"


def field_descriptor(f: Any, tp: Any) -> dict:
    """The Table Schema field of one model column."""
    field: dict[str, Any] = {"name": f.name, "description": f.metadata["description"]}
    if is_list(tp):
        field.update(type="array", arrayItem={"type": "string"})  # a JSON array in CSV
    elif tp in (int, Optional[int]):
        field["type"] = "integer"
    else:
        field["type"] = "string"
    if not may_be_missing(f, tp):
        field["constraints"] = {"required": True}
    return field


def table_schema(cls: type, resource_of: dict[str, str]) -> dict:
    """The Table Schema of a table: fields, missing values, primary and foreign keys (foreign
    keys refer to the resource `resource_of` names for each table)."""
    hints = typing.get_type_hints(cls)
    cols = columns(cls)
    schema: dict[str, Any] = {
        "fields": [field_descriptor(f, hints[f.name]) for f in cols],
        "missingValues": [""],
        "primaryKey": [f.name for f in cols if f.metadata.get("key") == "primary"],
    }
    foreign = [{"fields": [f.name], "reference": {"resource": resource_of[f.metadata["key"]],
                                                  "fields": [f.name]}}
               for f in cols if f.metadata.get("key") not in ("", "primary", None)]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def resources() -> list[dict]:
    """The CSV (tabular) and Parquet (file) resource of every table, CSV first."""
    out = []
    for fmt in ("csv", "parquet"):
        names = {table: f"{table}-{fmt}" for table in TABLES}
        for table, cls in TABLES.items():
            resource: dict[str, Any] = {"name": names[table], "path": f"{table}.{fmt}",
                                        "format": fmt}
            if fmt == "csv":
                resource.update(profile="tabular-data-resource", mediatype="text/csv",
                                encoding="utf-8", dialect=CSV_DIALECT)
            else:
                resource.update(type="file", mediatype=PARQUET_MEDIA_TYPE)
            resource["schema"] = table_schema(cls, names)
            out.append(resource)
    return out


def relative(path: str, folder: Path) -> str:
    """A path as seen from the descriptor's folder (POSIX), as Frictionless resolves paths."""
    return Path(os.path.relpath(Path(path).absolute(), Path(folder).absolute())).as_posix()


def source(d: Any, folder: Path) -> dict:
    """One input page as a Data Package source, with what the run knows of its file."""
    item: dict[str, Any] = {"title": d.title or Path(d.source_file).name}
    if d.url:
        item["path"] = d.url
    item.update(file=relative(d.source_file, folder), sha256=d.source_sha256,
                media_type=d.media_type, encoding=d.encoding)
    if d.text_file:
        item.update(text_file=relative(d.text_file, folder), text_sha256=d.text_sha256)
    return item


def datapackage(documents: Sequence[Any], host: Host, folder: Path,
                licence: Licence = Licence()) -> dict:
    """A Frictionless Data Package descriptor derived from the model, for the dataset that
    `folder` (the descriptor's folder) will hold."""
    licence_item = {k: v for k, v in (("name", licence.name), ("path", licence.path),
                                      ("title", licence.title)) if v}
    return {"profile": "data-package", "name": "partners",
            "title": f"Partner organisations of the {host.name}" if host.name else
                     "Partner organisations",
            "licenses": [licence_item],
            "host": {"name": host.name, "acronym": host.acronym, "aliases": list(host.aliases)},
            "sources": [source(d, folder) for d in documents], "resources": resources()}
