"""`record`: `dataclasses.dataclass(frozen=True)` with an `__init__` that costs less.

A frozen dataclass's `__init__` sets each field through `object.__setattr__` (the class's own
`__setattr__` refuses), a call of a builtin a field: a fact of 16 fields took 2.0
microseconds to make, against 0.8 when `__init__` writes the fields into the instance's
`__dict__`, as this one does. A run makes several records for every value it finds (field
values, facts, rows, issues), so the records of the run's path (`pipeline.model`, the extract
and segment stages) are made with it. Written by hand because `dataclasses` has no such
option; everything but `__init__` is the dataclass's own: fields, defaults, equality, hash,
repr, `dataclasses.replace`, and the refusal to set or delete an attribute afterwards.

The new `__init__` takes the same parameters as the dataclass's (checked when the class is
made: a class whose parameters would differ, with an `InitVar` or keyword-only fields, keeps
the dataclass's `__init__`) and is refused for a class with `__post_init__` or `__slots__`.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

_NO_VALUE = object()   # a parameter left out whose field has a default_factory


def record(cls: Any = None, /, **options: Any) -> Any:
    """`@dataclass(frozen=True, **options)`, its instances made by a faster `__init__`."""
    def wrap(cls: type) -> type:
        cls = dataclasses.dataclass(frozen=True, **options)(cls)
        fast = fast_init(cls)
        if _parameters(fast) == _parameters(cls.__init__):
            fast.__qualname__ = f"{cls.__qualname__}.__init__"
            cls.__init__ = fast
        return cls
    return wrap if cls is None else wrap(cls)


def fast_init(cls: type) -> Callable:
    """An `__init__` for the dataclass `cls` writing its fields into the instance's
    `__dict__`, defaults and default factories as the dataclass's own."""
    if hasattr(cls, "__post_init__") or "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__}: record() needs a class without __post_init__ "
                        "or __slots__")
    params, lines = [], []
    env: dict = {"_NO_VALUE": _NO_VALUE}
    for f in dataclasses.fields(cls):
        name, value = f.name, f.name
        if f.default is not dataclasses.MISSING:
            env[f"_default_{name}"] = f.default
            value = f"_default_{name}"
        elif f.default_factory is not dataclasses.MISSING:
            env[f"_factory_{name}"] = f.default_factory
            value = f"_factory_{name}()"
        if f.init:
            if value == name:
                params.append(name)
            elif value.endswith("()"):
                params.append(f"{name}=_NO_VALUE")
                value = f"{value} if {name} is _NO_VALUE else {name}"
            else:
                params.append(f"{name}={value}")
                value = name
        elif value == name:
            continue   # not in __init__, no default: the dataclass leaves it unset too
        lines.append(f"    __record_fields[{name!r}] = {value}")
    source = (f"def __init__(__record_self, {', '.join(params)}):\n"
              "    __record_fields = __record_self.__dict__\n" + "\n".join(lines or ["    pass"]))
    exec(source, env)
    return env["__init__"]


def _parameters(init: Callable) -> tuple:
    """The names of the positional parameters after the instance's, how many have defaults,
    and how many are keyword-only (read from the code: `inspect.signature` would add to the
    start-up of every command)."""
    code = init.__code__
    return code.co_varnames[1:code.co_argcount], len(init.__defaults__ or ()), \
        code.co_kwonlyargcount
