"""pipeline.io: records as JSON lines."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pipeline import io
from pipeline.io import NoAliasLoader, dumps, load_yaml, load_yaml_items
from pipeline.model import Entry, Extraction, Fact, Issue, Link


def test_io_dumps_a_record_as_asdict_would():
    fact = Fact(fact_id="f1", org_id="aba", field="name", value="ABA", qualifier="", unit="",
                date="", date_precision="", evidence="ABA", source_file="raw/p.txt",
                source_sha256="0" * 64, char_start=0, char_end=3, rule_id="heading.acronym",
                page=None, raw_value="ABA")
    entry = Entry("raw/p.txt", "0" * 64, 0, 0, 40, 3, "dash", labels=(("acronym", 0, 3),),
                  paragraphs=((0, 40),))
    for record in [fact, Issue("raw/p.txt:0-3", "extract", "why", "what"),
                   Link(url="https://example.org", text="x", char_start=1, char_end=2),
                   Extraction("aba", entry, (fact, fact), ())]:
        expected = json.dumps(dataclasses.asdict(record), ensure_ascii=False, sort_keys=True)
        assert dumps(record) == expected
    assert dumps({"b": (1, 2), "a": None}) == '{"a": null, "b": [1, 2]}'


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                                 max_size=4), max_leaves=12)


@pytest.mark.parametrize("sort_keys,separators", [(False, None), (True, None),
                                                   (False, (",", ":"))])
@given(value=JSON_VALUES)
def test_io_json_encoder_writes_what_the_json_modules_encoder_writes(sort_keys, separators,
                                                                     value):
    expected = json.JSONEncoder(ensure_ascii=False, sort_keys=sort_keys,
                                separators=separators).encode(value)
    assert io.json_encoder(sort_keys, separators)(value) == expected


def test_io_json_encoder_refuses_what_the_module_refuses():
    with pytest.raises(TypeError, match="not JSON serializable"):
        io.json_encoder()({1j})


def test_io_json_encoder_is_the_modules_own_without_its_c_encoder(monkeypatch):
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    encode = io.json_encoder(sort_keys=True)
    assert encode({"b": 1, "a": "é"}) == '{"a": "é", "b": 1}'
    assert getattr(encode, "__self__", None).__class__ is json.JSONEncoder
    with pytest.raises(TypeError):
        encode({1j})


# --- YAML ----------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
YAML_FILES = sorted(ROOT.glob("rules/*.yaml")) + [ROOT / "params.yaml"]


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_io_load_yaml_reads_the_projects_files_as_the_pure_python_loader(path):
    text = path.read_text(encoding="utf-8")
    assert load_yaml(text) == yaml.load(text, Loader=NoAliasLoader)


TEXTS = ["a: [1, 2]\nb: on\nc: 2026-12-01\nd: '007'\n", "- x\n- {y: z}\n", "", "# only\n",
         "a: |\n  two\n  lines\n", "a: 1e3\nb: 0x1f\nc: ~\n"]


@pytest.mark.parametrize("text", TEXTS + [p.read_text(encoding="utf-8") for p in YAML_FILES])
def test_io_load_yaml_with_and_without_libyaml_is_safe_load(text, monkeypatch):
    with_libyaml = load_yaml(text), load_yaml_items(text)
    assert with_libyaml[0] == yaml.safe_load(text) == with_libyaml[1][0]
    monkeypatch.setattr(io, "C_LOADER", None)
    assert (load_yaml(text), load_yaml_items(text)) == with_libyaml


@pytest.mark.parametrize("text", ["a: &x [1]\nb: *x\n", "a: [1\n", "a: b: c\n", "a:\n\t- b\n"])
def test_io_load_yaml_errors_are_the_pure_python_loaders_with_or_without_libyaml(
        text, monkeypatch):
    def error() -> str:
        with pytest.raises(yaml.YAMLError) as caught:
            load_yaml(text)
        return str(caught.value)

    with_libyaml = error()
    with pytest.raises(yaml.YAMLError) as caught:
        load_yaml_items(text)
    assert str(caught.value) == with_libyaml
    monkeypatch.setattr(io, "C_LOADER", None)
    assert error() == with_libyaml
    with pytest.raises(yaml.YAMLError) as caught:
        yaml.load(text, Loader=NoAliasLoader)
    assert str(caught.value) == with_libyaml


@pytest.mark.parametrize("load", [load_yaml, load_yaml_items])
def test_io_load_yaml_refuses_an_alias_bomb_before_building_it(load):
    bomb = "a: &a [x, x]\n" + "".join(f"{c}: &{c} [*{p}, *{p}]\n" for p, c in
                                      zip("abcdefgh", "bcdefghi"))
    with pytest.raises(yaml.YAMLError, match=r"aliases \(\*name\) are not allowed"):
        load(bomb)
