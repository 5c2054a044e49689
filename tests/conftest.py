"""Shared test fixtures: paths to the data copied into the repository (tests never read outside it)."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TESTS_DATA = REPO / "tests" / "data"
VECTORS = TESTS_DATA / "vectors"
PACKAGE_DATA = REPO / "xlkg" / "data"
WORKBOOKS = REPO / "workbooks"


@pytest.fixture
def vectors_dir():
    return VECTORS
