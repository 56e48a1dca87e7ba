"""`record`: a frozen dataclass made faster to build is the same dataclass in every other way."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from pipeline import model
from pipeline.frozen import record


@record
class Sample:
    name: str
    count: int = 0
    tags: tuple = ()
    seen: list = dataclasses.field(default_factory=list)
    cached: dict = dataclasses.field(default_factory=dict, init=False, compare=False)


@dataclasses.dataclass(frozen=True)
class Plain:   # the same class through dataclasses alone
    name: str
    count: int = 0
    tags: tuple = ()
    seen: list = dataclasses.field(default_factory=list)
    cached: dict = dataclasses.field(default_factory=dict, init=False, compare=False)


def as_plain(value: Sample) -> tuple:
    return tuple(getattr(value, f.name) for f in dataclasses.fields(value))


@pytest.mark.parametrize("args, kwargs", [
    (("a",), {}), (("a", 2), {}), (("a",), {"tags": ("x",), "seen": [1]}),
    ((), {"name": "b", "count": 3}),
])
def test_record_builds_what_the_dataclass_builds(args, kwargs):
    made, plain = Sample(*args, **kwargs), Plain(*args, **kwargs)
    assert as_plain(made) == tuple(getattr(plain, f.name) for f in dataclasses.fields(plain))
    assert made == Sample(*args, **kwargs) and hash(made.tags) == hash(plain.tags)
    assert repr(made) == repr(plain).replace("Plain", "Sample")


def test_record_defaults_come_from_a_fresh_factory_each_time():
    one, two = Sample("a"), Sample("a")
    assert one.seen == [] and one.seen is not two.seen and one.cached is not two.cached


def test_record_stays_frozen_and_replace_works():
    made = Sample("a", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.count = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        del made.name
    assert dataclasses.replace(made, count=5) == Sample("a", 5)


def test_record_takes_the_dataclass_parameters():
    def parameters(cls):
        return [(p.name, p.kind, p.default is inspect.Parameter.empty)
                for p in inspect.signature(cls).parameters.values()]
    assert parameters(Sample) == parameters(Plain)
    with pytest.raises(TypeError):
        Sample()            # a field without default left out
    with pytest.raises(TypeError):
        Sample("a", nope=1)


def test_record_refuses_a_post_init():
    with pytest.raises(TypeError, match="__post_init__"):
        @record
        class Checked:
            name: str

            def __post_init__(self):
                pass


def test_record_keeps_the_dataclass_init_where_parameters_would_differ():
    @record
    class KeywordOnly:
        name: str
        count: int = dataclasses.field(default=0, kw_only=True)

    assert "__record_fields" not in KeywordOnly.__init__.__code__.co_varnames
    assert KeywordOnly("a", count=2).count == 2


def test_record_makes_the_dataset_tables():
    for cls in model.TABLES.values():
        assert "__record_fields" in cls.__init__.__code__.co_varnames
