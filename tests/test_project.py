"""The project keeps its promises to a user who clones it: README commands, CI, clean sources."""

import re
import subprocess
import sys

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")

TEST_COMMAND = 'python3 -m venv .venv && . .venv/bin/activate && pip install -q -e ".[test]" && python -m pytest -q'
MAIN_COMMAND = "python3 -m venv .venv && . .venv/bin/activate && pip install -q -e . && xlkg demo -o xlkg-demo"


def test_readme_gives_the_two_commands():
    assert TEST_COMMAND in README
    assert MAIN_COMMAND in README


def test_ci_runs_the_readme_test_command():
    lines = [line.strip() for line in CI.splitlines()]
    assert TEST_COMMAND in lines


def _tracked_text_files():
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    for name in out.splitlines():
        path = REPO / name
        if path.suffix in {".py", ".md", ".txt", ".toml", ".bas", ".json", ".xml", ".cfg", ".ini"} or name == ".ci/run":
            if path.exists():
                yield name, path.read_text(encoding="utf-8", errors="replace")


def test_no_machine_paths_in_the_repository():
    pattern = re.compile(r"(/work/|/tmp/xlkg|/root/|\.\./shared)")
    offenders = [name for name, text in _tracked_text_files() if name != "tests/test_project.py" and pattern.search(text)]
    assert offenders == []


def test_top_level_is_the_products_layout():
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    top = {name.split("/", 1)[0] for name in out.splitlines()}
    assert top <= {"pyproject.toml", "README.md", "xlkg", "workbooks", "tests", "udf_manifest.txt", ".ci", ".gitignore",
                   "docs", "mkdocs.yml", "LICENSE", "CHANGELOG.md"}
    assert not [n for n in out.splitlines() if n.startswith("workbooks/tmp")]


def test_readme_pictures_exist_where_it_says():
    """The README shows pictures of the demo and the scorecard (rendered pages, PNG); each file is in the
    repository at the path the README gives. (Checked here, not among the LibreOffice tests: no
    LibreOffice is needed to see that a file is there.)"""
    pics = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", README)
    assert pics, "the README shows no pictures"
    missing = [p for p in pics if not (REPO / p).is_file()]
    assert missing == []
    tracked = set(subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split("\n"))
    assert [p for p in pics if p not in tracked] == [], "README pictures not committed"
    assert all((REPO / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pics)


def test_the_linter_finds_nothing():
    """ruff, configured in pyproject.toml (pyflakes, bugbear, import order), is clean over the whole
    repository; CI runs it too. It comes with the test extra."""
    res = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                         cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
