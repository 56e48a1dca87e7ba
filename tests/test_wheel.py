"""The wheel carries its default rules: built offline from a copy of the project, unpacked away
from any checkout, `partners run page.txt` reads the packaged `pipeline/rules/`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# what `pip wheel .` reads from the checkout
SOURCES = ("pyproject.toml", "setup.py", "README.md", "pipeline", "rules")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built without network or build isolation from a copy of it."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps",
                           "--no-build-isolation", "--no-index", "-q", "-w", str(tmp / "dist")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return next((tmp / "dist").glob("partners-*.whl"))


def test_wheel_carries_the_rules_folder_as_it_is(wheel):
    with zipfile.ZipFile(wheel) as whl:
        packaged = {Path(n).name: whl.read(n) for n in whl.namelist()
                    if n.startswith("pipeline/rules/")}
    # every rule file, byte for byte; the curators' overrides are about the bundled page
    expected = {p.name: p.read_bytes() for p in (ROOT / "rules").iterdir()
                if p.name != "overrides.yaml"}
    assert packaged == expected


def test_wheel_runs_a_page_outside_the_checkout_with_its_own_rules(wheel, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as whl:
        whl.extractall(site)
    work = tmp_path / "elsewhere"  # no rules/, no params.yaml, no checkout
    work.mkdir()
    shutil.copy2(ROOT / "raw" / "iap-co-operation-with-others.txt", work / "page.txt")
    # the unpacked wheel first on the path; its dependencies from this interpreter's site
    script = ("import sys; sys.path.insert(0, sys.argv[1]); import pipeline; "
              "from pipeline.extract.rules import RULES_DIR; "
              "print(pipeline.__file__, RULES_DIR, sep='\\n', file=sys.stderr); "
              "from pipeline.cli import main; sys.exit(main(sys.argv[2:]))")
    done = subprocess.run([sys.executable, "-c", script, str(site), "run", "page.txt",
                           "--out", "out", "--host-name", "International Association of "
                           "Prosecutors", "--host-acronym", "IAP"],
                          cwd=work, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    module, rules = done.stderr.splitlines()[:2]
    assert Path(module).is_relative_to(site) and Path(rules) == site / "pipeline" / "rules"
    assert "34 organisations" in done.stderr
    assert (work / "out" / "organisations.csv").read_text(encoding="utf-8").count("\n") == 35


def test_wheel_rules_are_found_in_the_checkout_first():
    from pipeline.settings import default_rules_dir

    assert default_rules_dir() == ROOT / "rules"  # this checkout's folder, the source of truth


def test_a_run_without_rules_named_reads_the_default_folder(tmp_path):
    from pipeline.settings import Settings, default_rules_dir

    assert Settings().rules_folder == default_rules_dir()
    assert Settings(rules_dir=tmp_path).rules_folder == tmp_path
