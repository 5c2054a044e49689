"""The manual: README a front door into docs/, the site's pages all in its navigation, links that lead
somewhere, generated pages current, one version source, the declared licence."""

import re

import pytest

from conftest import REPO
from xlkg.excel import generate

README = (REPO / "README.md").read_text(encoding="utf-8")
MKDOCS = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")
DOCS = REPO / "docs"


def test_generated_files_are_current():
    """udf_manifest.txt, the VBA module, the Office.js metadata and docs/reference.md are what the
    registry gives now (`xlkg manifest` regenerates them)."""
    assert generate.stale_files(REPO) == [], "generated files are stale: run `xlkg manifest`"


def test_readme_is_a_front_door():
    assert len(README.encode("utf-8")) < 15_000
    # it leads into the manual: every page of docs/ is linked from the README
    pages = sorted(p.name for p in DOCS.glob("*.md"))
    assert [p for p in pages if f"docs/{p}" not in README] == []


def _relative_links(text):
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        yield target.split("#", 1)[0]


def test_readme_links_lead_to_committed_files():
    missing = [t for t in _relative_links(README) if not (REPO / t).exists()]
    assert missing == []


def test_every_page_is_in_the_sites_navigation():
    """mkdocs.yml's nav lists each page of docs/ once, and nothing else (mkdocs --strict also refuses
    pages left out; this says so without the generator installed)."""
    nav = re.findall(r"^\s+- [^:]+: (\S+\.md)\s*$", MKDOCS, re.M)
    assert sorted(nav) == sorted(p.name for p in DOCS.glob("*.md"))
    assert len(nav) == len(set(nav))


def test_ci_builds_the_site_with_warnings_as_errors():
    lines = [line.strip() for line in CI.splitlines()]
    assert any(re.search(r"\bmkdocs build --strict\b", line) for line in lines if not line.startswith("#"))


def test_one_version_source():
    tomllib = pytest.importorskip("tomllib")
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in meta["project"]
    assert "version" in meta["project"]["dynamic"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "xlkg.__version__"}
    init = (REPO / "xlkg" / "__init__.py").read_text(encoding="utf-8")
    assert len(re.findall(r"^__version__ = \"\d+\.\d+\.\d+\"$", init, re.M)) == 1


def test_licence_is_the_declared_bsd_3_clause():
    tomllib = pytest.importorskip("tomllib")
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == {"text": "BSD-3-Clause"}
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("BSD 3-Clause License")
    assert "Copyright (c) 2026, the xlkg authors" in text
    assert "Neither the name of the copyright holder" in text


# ---------------------------------------------------------------------------------------------- code blocks

NOT_RUN = re.compile(r"^<!-- not run: (?P<reason>.+\S) -->$")
FENCE = re.compile(r"^```python[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)


def python_blocks():
    """(file, line, body, reason not to run or None) of every ```python block in README.md and docs/.

    A block not meant to run says so on the line right above its fence: <!-- not run: the reason -->."""
    for path in [REPO / "README.md", *sorted(DOCS.glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            above = text[: m.start()].rstrip("\n").rpartition("\n")[2].strip()
            skip = NOT_RUN.match(above)
            yield path.relative_to(REPO).as_posix(), line, m.group("body"), skip and skip.group("reason")


RUN_BLOCKS = [pytest.param(body, id=f"{name}:{line}") for name, line, body, reason in python_blocks() if not reason]


def test_the_manual_has_python_examples_to_run():
    assert len(RUN_BLOCKS) >= 5
    # an HTML comment that says "not run" anywhere but right above a fence is a marker gone astray
    for path in [REPO / "README.md", *DOCS.glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"^<!-- not run.*$", text, re.M):
            assert NOT_RUN.match(m.group(0)) and text[m.end():].startswith("\n```python"), \
                f"{path.name}: {m.group(0)!r} must give a reason and stand right above a ```python fence"


@pytest.mark.parametrize("body", RUN_BLOCKS)
def test_python_block_runs(body, tmp_path, monkeypatch):
    """Each example runs as written, from the project folder's point of view: the bundled workbooks are
    at workbooks/, and whatever the example writes lands in a folder of its own."""
    (tmp_path / "workbooks").symlink_to(REPO / "workbooks", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    exec(compile(body, "<docs>", "exec"), {"__name__": "__docs__"})
