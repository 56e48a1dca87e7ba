"""datapackage.json: the Frictionless descriptor of the dataset, derived from `pipeline.model`."""

from __future__ import annotations

from typing import Any, Sequence

from pipeline.dataset.formats import arrow_schema
from pipeline.model import TABLES
from pipeline.settings import Host

ARROW_TO_FRICTIONLESS = {"string": "string", "int64": "integer", "list<item: string>": "array"}


def datapackage(documents: Sequence[Any], host: Host) -> dict:
    """A Frictionless Data Package descriptor derived from the model."""
    resources = []
    for name, cls in TABLES.items():
        schema = arrow_schema(cls)
        fields = [{"name": f.name, "type": ARROW_TO_FRICTIONLESS.get(str(f.type), "string"),
                   "description": f.metadata[b"description"].decode()} for f in schema]
        for fmt in ("csv", "parquet"):
            resource = {"name": f"{name}-{fmt}", "path": f"{name}.{fmt}", "format": fmt,
                        "schema": {"fields": fields}}
            if fmt == "csv":
                resource.update({"mediatype": "text/csv", "encoding": "utf-8",
                                 "dialect": {"delimiter": ",", "listSeparator": "|"}})
            resources.append(resource)
    sources = [{"path": d.source_file, "sha256": d.source_sha256, "url": d.url,
                "media_type": d.media_type, "encoding": d.encoding,
                "text_file": d.text_file, "text_sha256": d.text_sha256} for d in documents]
    return {"profile": "tabular-data-package", "name": "partners",
            "title": f"Partner organisations of the {host.name}",
            "host": {"name": host.name, "acronym": host.acronym, "aliases": list(host.aliases)},
            "sources": sources, "resources": resources}
