"""Meta-tests: the pipeline's declarations agree with the code and the documentation."""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path

import yaml

from pipeline.model import TABLES

ROOT = Path(__file__).resolve().parent.parent


def dvc_stages() -> dict:
    return yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]


def test_meta_every_dvc_stage_names_a_real_command_and_real_deps():
    from pipeline.cli import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)
    stages = dvc_stages()
    outputs = {next(iter(o)) if isinstance(o, dict) else o
               for stage in stages.values() for o in stage.get("outs", [])}
    for name, stage in stages.items():
        command = stage["cmd"].split()
        assert command[0] == "partners" and command[1] in commands, name
        for dep in stage.get("deps", []):
            assert dep in outputs or (ROOT / dep).exists(), f"{name}: {dep}"
            if dep.startswith("pipeline/") and dep.endswith(".py"):
                importlib.import_module(dep[:-3].replace("/", "."))


def test_meta_every_rule_file_is_a_dependency_of_a_stage():
    deps = {d for stage in dvc_stages().values() for d in stage.get("deps", [])}
    for path in sorted((ROOT / "rules").iterdir()):
        assert f"rules/{path.name}" in deps, path.name


def test_meta_every_column_is_documented_in_the_model_and_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, cls in TABLES.items():
        for f in dataclasses.fields(cls):
            assert f.metadata.get("description"), f"{name}.{f.name}"
            assert re.search(rf"`{f.name}`", readme), f"README does not document {name}.{f.name}"


def test_meta_params_are_passed_not_read():
    """Stages get params from dvc.yaml (${...}); no stage module reads params.yaml itself."""
    literal = re.compile(r"[\"']params\.yaml[\"']")
    readers = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pipeline").rglob("*.py")
                     if literal.search(p.read_text(encoding="utf-8")))
    # `partners fetch` is run by hand, not by dvc; the CLI falls back to params.yaml for the host
    assert readers == ["pipeline/acquire/fetch.py", "pipeline/cli_options.py"]


def test_meta_readme_holds_the_generated_datacard():
    from pipeline.dataset.datacard import BEGIN, END, markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    assert readme[start:end] == markdown(), "run: python -m pipeline.dataset.datacard and paste into README"
