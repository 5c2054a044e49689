"""Shared test fixtures: paths to the data copied into the repository (tests never read outside it).

The xlwings settings of the environment are kept out of the test process: XLWINGS_ON_SERVER makes a
first `import xlwings` demand a licence key, and a licence key of the user's own would hide whether
xlkg sets its noncommercial key only for the calls that need it. Tests that need either set them in a
child process. A test that leaves either behind in this process fails (the variables are removed
again, so the tests after it do not depend on the order they run in).
"""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TESTS_DATA = REPO / "tests" / "data"
VECTORS = TESTS_DATA / "vectors"
PACKAGE_DATA = REPO / "xlkg" / "data"
WORKBOOKS = REPO / "workbooks"

XLWINGS_ENV = ("XLWINGS_ON_SERVER", "XLWINGS_LICENSE_KEY")
for _name in XLWINGS_ENV:
    os.environ.pop(_name, None)


@pytest.fixture(autouse=True)
def _xlwings_environment_does_not_leak():
    yield
    leaked = {name: os.environ.pop(name) for name in XLWINGS_ENV if name in os.environ}
    if leaked:
        pytest.fail(f"the test left {sorted(leaked)} set in the test process's environment")


@pytest.fixture
def vectors_dir():
    return VECTORS


_OFFICE_COUNTS: dict = {}


@pytest.fixture(scope="session", autouse=True)
def office_reuse():
    """One LibreOffice per recalculation mode for the whole session (tests/support/office_session.py):
    started by the first conversion, closed at the end. Without a Python that can import `uno`, or with
    XLKG_TESTS_OFFICE_PER_CALL=1 in the environment, every conversion starts LibreOffice as the product
    does."""
    from support.office_reuse import reuse_office
    from xlkg import render

    reuse = reuse_office(render, shared=os.environ.get("XLKG_TESTS_OFFICE_PER_CALL") != "1")
    yield reuse
    _OFFICE_COUNTS.update(reuse.restore())


def pytest_terminal_summary(terminalreporter):
    if any(_OFFICE_COUNTS.values()):
        terminalreporter.write_line(
            f"LibreOffice: {_OFFICE_COUNTS['session']} conversions in a LibreOffice kept running, "
            f"{_OFFICE_COUNTS['launched']} started for one conversion")
