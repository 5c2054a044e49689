"""The package's architecture, read from its own source (ast, nothing imported).

Layers, lowest first. A module may import from its own layer or any layer below, never above, and the
imports between modules form no circle:

    0  xlkg (the package's __init__: version), xlkg.data (bundled data, glossary, illustrative notice)
    1  xlkg.core        computation: numpy/pandas only
    2  xlkg.xlsx        workbook files with no domain knowledge
    3  xlkg.scorecard   the balanced scorecard end to end (its writers use xlkg.xlsx)
    4  xlkg.excel       the host faces (worksheet functions, registry, macros, Office.js, generators)
    5  xlkg.recalc, xlkg.render   headless recalculation; printing through LibreOffice
    6  xlkg.demo        the main job on the bundled data (uses recalc and the worksheet functions)
    7  xlkg.cli         every command; the only module that prints

Computation (xlkg/core, xlkg/scorecard) imports no Excel library, except the host writers listed in
HOST_WRITERS; each listed path must exist, so the list cannot go stale silently.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "xlkg"

LAYERS = (
    ("xlkg", "xlkg.data"),
    ("xlkg.core",),
    ("xlkg.xlsx", "xlkg.output"),
    ("xlkg.scorecard",),
    ("xlkg.excel",),
    ("xlkg.recalc", "xlkg.render"),
    ("xlkg.demo",),
    ("xlkg.cli",),
)

EXCEL_LIBRARIES = ("xlwings", "openpyxl", "xlsxwriter", "formulas")
COMPUTATION = ("xlkg/core", "xlkg/scorecard")
# The modules of COMPUTATION that write workbooks, and the Excel libraries each may use.
HOST_WRITERS = {
    "xlkg/scorecard/templates.py": {"xlsxwriter", "xlwings"},  # builds the templates as code
}
# (the scorecard reads and writes workbook files only through xlkg.xlsx: reader.py and writer.py import
# no Excel library themselves)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_main_block(node) -> bool:
    """`if __name__ == "__main__":` (a script entry point, run by `python -m`, never imported)."""
    t = node.test if isinstance(node, ast.If) else None
    return (isinstance(t, ast.Compare) and isinstance(t.left, ast.Name) and t.left.id == "__name__"
            and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in t.comparators))


def walk(tree):
    """ast.walk without the `if __name__ == "__main__":` blocks."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        todo.extend(c for c in ast.iter_child_nodes(node) if not is_main_block(c))


def imports_of(name: str, path: Path) -> list[tuple[str, int]]:
    """Every module name imported by the file (absolute and relative, at any depth, lazy ones too),
    except in its `if __name__ == "__main__":` block: a script entry point (`python -m xlkg.demo.sample`)
    may call the command line, which the module itself never imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.append((target, node.lineno))
            # `from xlkg.core import rating` imports the module xlkg.core.rating
            found += [(f"{target}.{a.name}", node.lineno) for a in node.names]
    return found


def internal_graph() -> dict[str, set[str]]:
    """module -> the xlkg modules it imports (a name that is not a module maps to its package)."""
    mods = modules()
    graph = {}
    for name, path in mods.items():
        deps = set()
        for target, _ in imports_of(name, path):
            if target != "xlkg" and not target.startswith("xlkg."):
                continue
            while target not in mods:  # an attribute imported from a module: climb to the module
                target = target.rpartition(".")[0]
            if target != name:
                deps.add(target)
        graph[name] = deps
    return graph


def layer(name: str) -> int:
    best = None
    for k, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if name == p or (p != "xlkg" and name.startswith(p + ".")):
                best = k
    assert best is not None, f"{name} is in no layer: add it to LAYERS"
    return best


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_every_module_has_a_layer():
    for name in modules():
        layer(name)


def test_no_import_circle():
    assert find_cycles(internal_graph()) == []


def test_no_import_runs_back_up_the_layers():
    upward = sorted(f"{a} -> {b}" for a, deps in internal_graph().items() for b in deps if layer(b) > layer(a))
    assert upward == []


def test_the_checker_sees_circles_and_upward_imports():
    """The two checks above on a made-up graph: a circle a -> b -> c -> a and a core module importing the CLI."""
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer("xlkg.cli") > layer("xlkg.core.cells")
    assert layer("xlkg.scorecard.plan") > layer("xlkg.xlsx.patch") > layer("xlkg.core.result") > layer("xlkg")


def test_the_import_reader_resolves_relative_and_lazy_imports(tmp_path):
    path = tmp_path / "aggregate.py"
    path.write_text("from ..result import InputError\nfrom .options import x\n\ndef f():\n    import openpyxl\n",
                    encoding="utf-8")
    found = {t for t, _ in imports_of("xlkg.core.rating.aggregate", path)}
    assert {"xlkg.core.result", "xlkg.core.result.InputError", "xlkg.core.rating.options", "openpyxl"} <= found


@pytest.mark.parametrize("path", sorted(HOST_WRITERS))
def test_listed_host_writers_exist(path):
    assert (REPO / path).is_file(), f"{path} is listed in HOST_WRITERS but no longer exists"


def test_computation_imports_no_excel_library():
    offenders = []
    for folder in COMPUTATION:
        assert (REPO / folder).is_dir(), folder
        for path in sorted((REPO / folder).rglob("*.py")):
            rel = path.relative_to(REPO).as_posix()
            allowed = HOST_WRITERS.get(rel, set())
            for target, line in imports_of(module_name(path), path):
                top = target.split(".")[0]
                if top in EXCEL_LIBRARIES and top not in allowed:
                    offenders.append(f"{rel}:{line} imports {target}")
    assert offenders == []


def test_no_private_name_is_imported_from_another_module():
    """What one module uses of another is public: `from xlkg.x import _name` means the name is shared
    and should say so (or live in xlkg.core.checks)."""
    offenders = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and ((node.module or "").startswith("xlkg") or node.level):
                offenders += [f"{name}:{node.lineno} {a.name}" for a in node.names
                              if a.name.startswith("_") and not a.name.startswith("__")]
    assert offenders == []


def test_only_the_command_line_prints():
    """Library functions return reports; xlkg.cli prints them. No print() and no writing to
    sys.stdout/sys.stderr anywhere else in the package (`__main__` blocks only call xlkg.cli)."""
    offenders = []
    for name, path in modules().items():
        if name == "xlkg.cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Name) and f.id == "print":
                    offenders.append(f"{name}:{node.lineno} print()")
                elif (isinstance(f, ast.Attribute) and f.attr == "write" and isinstance(f.value, ast.Attribute)
                      and f.value.attr in ("stdout", "stderr")):
                    offenders.append(f"{name}:{node.lineno} sys.{f.value.attr}.write()")
    assert offenders == []


def test_main_blocks_only_call_the_command_line():
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if is_main_block(node):
                targets = {t for n in ast.walk(node) if isinstance(n, ast.ImportFrom) for t in [n.module]}
                assert targets <= {"xlkg.cli"}, f"{name}: its __main__ block imports {sorted(targets)}"


def test_no_test_module_imports_another():
    """What two test modules share lives in tests/support/ (or conftest.py's paths)."""
    tests = REPO / "tests"
    names = {p.stem for p in tests.glob("test_*.py")}
    offenders = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(REPO)}:{node.lineno} imports {m}" for m in mods
                          if m.split(".")[0] in names or m.startswith("tests.")]
    assert offenders == []
