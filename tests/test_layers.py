"""The house rules of the package's floors, checked on the source with ``ast``.

model/ (pure functions) -> catalog/ (data) -> parameters, scenario -> studies/ (orchestrators)
-> present/ (rich, matplotlib) and cli.py (click). See docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tokencalc"
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


class _Import:
    def __init__(self, target: str, node: ast.AST, in_function: str | None, line: str):
        self.target, self.node, self.in_function, self.line = target, node, in_function, line


def _imports(name: str) -> list[_Import]:
    """Every import of module ``name`` (top level and inside functions), as absolute module names."""
    path = MODULES[name]
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    package = name if _is_package(name) else name.rsplit(".", 1)[0]
    out: list[_Import] = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Import):
                for alias in child.names:
                    out.append(_Import(alias.name, child, function, lines[child.lineno - 1]))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    module = ".".join(base + ([child.module] if child.module else []))
                else:
                    module = child.module or ""
                targets = []
                for alias in child.names:  # `from . import catalog` imports the submodule tokencalc.catalog
                    candidate = f"{module}.{alias.name}"
                    targets.append(candidate if candidate in MODULES else module)
                for target in dict.fromkeys(targets):
                    out.append(_Import(target, child, function, lines[child.lineno - 1]))
            visit(child, inner)

    visit(tree, None)
    return out


IMPORTS = {name: _imports(name) for name in MODULES}


def _floor(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "tokencalc"


def _internal(module: str) -> bool:
    return module == "tokencalc" or module.startswith("tokencalc.")


def test_the_floors_exist():
    floors = {_floor(m) for m in MODULES}
    assert {"model", "catalog", "studies", "present", "parameters", "scenario", "units", "errors", "cli"} <= floors
    assert len(MODULES) > 30


def test_no_import_circles_counting_imports_inside_functions():
    graph = {name: {i.target for i in IMPORTS[name] if i.target in MODULES and i.target != name} for name in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


FORBIDDEN = {  # floor -> floors of tokencalc it must not import
    "model": {"catalog", "studies", "present", "cli", "parameters", "scenario", "scenariofile"},
    "catalog": {"model", "studies", "present", "cli", "parameters", "scenario", "scenariofile"},
    "parameters": {"studies", "present", "cli", "scenario", "scenariofile"},
    "scenario": {"studies", "present", "cli", "scenariofile"},
    "scenariofile": {"studies", "present", "cli"},
    "studies": {"cli", "present"},  # but in the display hooks (below)
    "present": {"studies", "cli"},
    "units": {"model", "catalog", "studies", "present", "cli", "parameters", "scenario"},
    "errors": {"model", "catalog", "studies", "present", "cli", "parameters", "scenario", "units"},
}
PRESENTATION_LIBRARIES = ("rich", "click", "matplotlib", "plotly")
DISPLAY_HOOKS = ("__rich__", "_repr_html_", "write_html")  # the rich and Jupyter display protocols, and a
# report's page, on the result objects


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_floor_imports_only_the_floors_below(name):
    floor = _floor(name)
    for imp in IMPORTS[name]:
        if not _internal(imp.target) or imp.target == "tokencalc":
            continue
        target = _floor(imp.target)
        if floor == "studies" and target == "present" and imp.in_function in DISPLAY_HOOKS:
            continue
        assert target not in FORBIDDEN.get(floor, set()), f"{name} imports {imp.target} (line: {imp.line.strip()})"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_present_and_cli_import_rich_click_or_matplotlib(name):
    floor = _floor(name)
    for imp in IMPORTS[name]:
        top = imp.target.split(".")[0]
        if top in PRESENTATION_LIBRARIES:
            assert floor in ("present", "cli"), f"{name} imports {imp.target}"


LAZY_ALLOWED = {  # floor -> what it may import inside a function (each with a '# lazy:' reason)
    "cli": ("tokencalc",),  # the floors below load pint and numpy: not for `tokencalc --help`
    "present": ("rich", "matplotlib", "plotly"),
    "studies": ("tokencalc.present", "scipy", "pandas"),  # present only in the display hooks (checked above);
    # pandas is optional: only a result's to_dataframe() loads it
    "model": ("scipy",),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_inside_functions_are_lazy_on_purpose(name):
    for imp in IMPORTS[name]:
        if imp.in_function is None:
            continue
        allowed = LAZY_ALLOWED.get(_floor(name), ())
        assert imp.target.startswith(allowed), f"{name}: {imp.target} imported inside {imp.in_function}()"
        assert "# lazy:" in imp.line, f"{name}: the import of {imp.target} in {imp.in_function}() gives no reason"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_over_500_lines(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_model_functions_document_units_and_equations():
    """Every public function of model/ has a docstring naming the units of its quantities [in brackets]."""
    import importlib
    import inspect

    missing = []
    for name in MODULES:
        if _floor(name) != "model" or _is_package(name):
            continue
        module = importlib.import_module(name)
        for fname in getattr(module, "__all__", ()):
            obj = getattr(module, fname)
            if inspect.isfunction(obj):
                doc = inspect.getdoc(obj) or ""
                if "[" not in doc or "]" not in doc:
                    missing.append(f"{name}.{fname}")
    assert not missing, f"model functions without [units] in their docstring: {missing}"


def test_doc_page_generators_are_named_gen():
    scripts = [p.name for p in (ROOT / "scripts").glob("*.py") if not p.name.startswith("_")]
    assert scripts and all(name.startswith("gen_") for name in scripts), scripts


def test_no_leftover_flat_modules():
    """The 0.2 flat modules are gone; their code lives on the floors."""
    for old in ("report", "factory_model", "scenario_files", "throughput", "finance", "cashflow", "compare",
                "uncertainty", "power", "power_study", "cooling", "claims"):
        assert not (PACKAGE / f"{old}.py").exists(), old
