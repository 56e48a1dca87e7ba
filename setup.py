"""Packaging: the wheel carries the default rules.

`rules/` at the top of the project stays the one source of truth (dvc.yaml, the curators and
the tests read it there); the wheel ships it as the package data folder `pipeline/rules/`, so a
`pip install .` outside the checkout runs with the same rules (`pipeline.extract.rules.
default_rules_dir` picks the checkout's folder when there is one, else this copy). The
curators' `overrides.yaml` is about the bundled page, not a rule: it stays out of the wheel.
Everything else is declared in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["pipeline", "pipeline.*"]) + ["pipeline.rules"],
    package_dir={"pipeline.rules": "rules"},
    package_data={"pipeline.rules": ["*.yaml", "*.jsonl"]},
    exclude_package_data={"pipeline.rules": ["overrides.yaml"]},
)
