"""The records a run makes by the thousand have their frozen dataclass's __init__ written out
(`pipeline.model`, FAST_INIT): the same signature, and the same record, as the generated one.
A field added to such a class and not to its __init__ fails here."""

import dataclasses
import inspect

import pytest

from pipeline.extract.values import FieldValue
from pipeline.model import Block, Entry

CASES = {
    FieldValue: [(("name", "IAP", 0, 3, "heading.name"), {}),
                 (("founded", "1961", 3, 20, "r"), {"date": "1961", "parties": ("x",),
                                                    "date_precision": "year"}),
                 (("m", "5", 1, 2, "r", "exact", "members", "", "", "5", ()), {})],
    Block: [(("line", 0, 9), {}), (("item", 3, 40), {"depth": 2, "marker": "1.",
                                                     "lead_end": 9}),
            (("cell", 1, 2, 0, 0, 3, None, "th", "bold", True, 4), {})],
    Entry: [(("raw/p.txt", "0" * 64, 0, 0, 40, 3, "dash"), {}),
            ((), {"source_file": "p", "source_sha256": "s", "index": 2, "char_start": 5,
                  "char_end": 9, "heading_end": 5, "layout": "page",
                  "labels": (("name", 5, 7),), "paragraphs": ((5, 9),),
                  "host_refs": ((6, 7),)})],
}


def generated(cls):
    """The class its @dataclass(frozen=True) would make, __init__ and all."""
    def as_field(f):
        return dataclasses.field() if f.default is dataclasses.MISSING else \
            dataclasses.field(default=f.default)

    return dataclasses.make_dataclass(
        cls.__name__, [(f.name, f.type, as_field(f)) for f in dataclasses.fields(cls)],
        frozen=True)


def parameters(cls):
    return [(p.name, p.kind, p.default) for p in inspect.signature(cls).parameters.values()]


@pytest.mark.parametrize("cls", list(CASES), ids=lambda c: c.__name__)
def test_model_written_out_init_is_the_dataclasss(cls):
    theirs = generated(cls)
    assert parameters(cls) == parameters(theirs)
    for args, kwargs in CASES[cls]:
        mine, expected = cls(*args, **kwargs), theirs(*args, **kwargs)
        assert vars(mine) == vars(expected)
        assert mine == cls(*args, **kwargs) and hash(mine) == hash(cls(*args, **kwargs))
        assert repr(mine).split("(", 1)[1] == repr(expected).split("(", 1)[1]
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(mine, dataclasses.fields(cls)[0].name, "x")
    with pytest.raises(TypeError):
        cls()   # its first field is required, as it was


def test_new_record_is_the_record_its_init_makes():
    from pipeline.model import Issue
    from pipeline.records import new_record

    fields = {"source": "p.txt:1-4", "stage": "extract", "reason": "r", "detail": "d"}
    made = new_record(Issue, fields)
    assert made == Issue(**fields) and hash(made) == hash(Issue(**fields))
    assert vars(made) == vars(Issue(**fields))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.stage = "segment"
