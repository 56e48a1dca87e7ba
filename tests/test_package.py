"""The package's shape: imports between its modules form no cycle, and the subpackages are
layered in the order the data flows (a lower layer never imports a higher one)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline"

# The order data flows in; a module may import only from its own layer or the ones before it.
LAYERS = ["model", "io", "runtime", "settings", "records", "ingest", "acquire", "segment",
          "extract", "documents", "dataset", "versions", "evaluation", "stages", "run",
          "cli_options", "cli"]
MAX_LINES = 300


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every pipeline module `path` imports, at top level or inside a function (lazy imports
    hide cycles as well as they hide start-up cost)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            base = node.module
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; write pipeline.… in full")
    return {name for name in found if name.startswith("pipeline.")}


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    return {name: {i for i in imports_of(path) if i in modules and i != name}
            for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules, or [] (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        stack.pop()
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def layer(module: str) -> int:
    part = module.split(".")[1] if "." in module else module
    assert part in LAYERS, f"{module}: not in a known layer; add its room to LAYERS"
    return LAYERS.index(part)


def test_package_has_no_import_cycle():
    assert find_cycle(import_graph()) == []


def test_package_find_cycle_sees_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_package_layers_follow_the_flow():
    upward = [f"{m} imports {i}" for m, deps in import_graph().items() if m != "pipeline"
              for i in deps if layer(i) > layer(m)]
    assert upward == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: module_name(p))
def test_package_modules_are_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)}: {lines} lines; split it"


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*/__init__.py")), ids=lambda p: p.parent.name)
def test_package_subpackages_say_what_flows_in_and_out(path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert len(doc.split()) >= 15, f"{path.relative_to(ROOT)}: docstring says what it holds"


# The modules each `dvc.yaml` stage's command runs (besides cli.py and stages.py, which every
# stage lists): their whole import closure must be among the stage's deps, so that editing any
# of them makes `dvc status` see the stage as changed.
STAGE_ENTRIES = {
    "ingest": ["pipeline.ingest.reader", "pipeline.documents.pages"],
    "pdf": ["pipeline.documents.pdf"],
    "segment": ["pipeline.segment", "pipeline.extract.rules"],
    "extract": ["pipeline.extract.extractor", "pipeline.extract.parallel",
                "pipeline.documents.pages"],
    "export": ["pipeline.dataset.export", "pipeline.documents.linking"],
}


def closure(graph: dict[str, set[str]], roots: list[str]) -> set[str]:
    seen, todo = set(), list(roots)
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph.get(module, ()))
    return seen


def module_path(module: str) -> str:
    path = ROOT / Path(*module.split("."))
    return (path / "__init__.py" if path.is_dir() else path.with_suffix(".py")).relative_to(ROOT).as_posix()


def test_package_dvc_stages_depend_on_all_the_code_they_run():
    import yaml

    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    graph = import_graph()
    assert set(STAGE_ENTRIES) == set(stages)
    for stage, roots in STAGE_ENTRIES.items():
        deps = [d.rstrip("/") for d in stages[stage]["deps"]]
        for module in sorted(closure(graph, roots) | {"pipeline.cli", "pipeline.stages"}):
            path = module_path(module)
            assert any(path == d or path.startswith(d + "/") for d in deps), \
                f"dvc.yaml stage {stage} runs {path} but does not depend on it"
