"""The Office.js route: xlwings.server calls the functions as the Excel client posts them, and the
xlwings Server project in workbooks/server answers its metadata, manifest and call endpoints.

The licence key XLWINGS_LICENSE_KEY=noncommercial is set only inside these tests (the server test runs
the app in a child process, so xlwings Server's own settings, which set XLWINGS_ON_SERVER for the whole
process, do not leak into other tests).
"""

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support.workbooks import TOY_TABLE
from xlkg.excel import generate, registry

REPO = Path(__file__).resolve().parents[1]
SERVER = REPO / "workbooks" / "server"

# tests/data/vectors/toy_xlkg_4x3_output: input_matrix.csv and REAT_locq2.csv (A/S1 1.8, B/S2 1.9047619047619,
# D/S3 1.09090909090909). By hand: x_r = 200, 140, 110, 150; x_i = 200, 180, 220; x = 600;
# A/S1 = (120/200) / (200/600) = 1.8; B/S2 = (80/140) / (180/600) = 40/21; D/S3 = (60/150) / (220/600) = 12/11.
ROWS = TOY_TABLE


def _payload(func_name, args):
    import xlwings

    return {"func_name": func_name, "args": args, "caller_address": "Sheet1!A1", "culture_info_name": "ru-RU",
            "date_format": "dd.MM.yyyy", "version": xlwings.__version__, "client": "Office.js", "runtime": "1.4"}


def _fresh_python(code: str) -> dict:
    """Run `code` in a new interpreter whose environment holds the noncommercial key from the start
    (xlwings registers its Office.js engine when it is first imported, only if the key is set then,
    as in an xlwings Server process); `code` prints one line RESULT<json>."""
    env = dict(os.environ)
    env.update(XLWINGS_LICENSE_KEY="noncommercial",
               PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]))
    env.pop("XLWINGS_ON_SERVER", None)
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=1800)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")), None)
    assert line is not None, proc.stderr[-3000:]
    return json.loads(line[len("RESULT"):])


def _skip_unless_installed(*modules):
    """Skip when a module is absent, without importing it here: importing xlwings_server sets
    XLWINGS_ON_SERVER for the whole test process, after which a first `import xlwings` needs a licence key."""
    for name in modules:
        if importlib.util.find_spec(name) is None:
            pytest.skip(f"{name} is not installed")


def test_xlwings_server_calls_the_functions_as_excel_posts_them():
    key_before = os.environ.get("XLWINGS_LICENSE_KEY")
    # optional arguments arrive as [[null]]; one-cell arguments as 1x1 matrices; a repeating argument
    # as one list of matrices
    calls = {"loc": _payload("LOCALIZATION", [ROWS, [[None]], [[None]], [[None]], [["en"]]]),
             "mean": _payload("LOCALIZATION_MEAN", [[ROWS, ROWS, [["geometric"]]]]),
             "bad": _payload("LOCALIZATION", [[["x"]], [[None]], [[None]], [[None]], [[None]]])}
    out = _fresh_python(f"""
        import asyncio, json
        import xlwings.server as server
        from xlkg.excel import officejs
        calls = json.loads({json.dumps(json.dumps(calls))})
        res = {{k: asyncio.run(server.custom_functions_call(v, officejs)) for k, v in calls.items()}}
        print("RESULT" + json.dumps(res, default=str))
    """)
    loc = out["loc"]
    assert loc[0] == ["localization coefficient", "S1", "S2", "S3"]
    assert loc[1][1] == pytest.approx(1.8)
    assert loc[2][2] == pytest.approx(40 / 21)
    assert loc[4][3] == pytest.approx(12 / 11)
    assert out["mean"][1][1] == pytest.approx(1.8)
    assert len(out["bad"]) == 1 and "values" in out["bad"][0][0]
    assert os.environ.get("XLWINGS_LICENSE_KEY") == key_before  # the key was set in the child process only


def test_server_project_only_reexports_xlkg():
    for sub in ("custom_functions", "custom_scripts"):
        code = (SERVER / sub / "__init__.py").read_text(encoding="utf-8")
        lines = [ln for ln in code.splitlines() if ln.strip() and not ln.lstrip().startswith(('"""', "#"))
                 and not ln.strip().endswith('"""')]
        assert all(ln.startswith("from xlkg.") for ln in lines), lines


def test_server_project_answers_metadata_manifest_and_calls():
    _skip_unless_installed("xlwings_server", "fastapi", "httpx")
    script = textwrap.dedent(f"""
        import json
        import xlwings
        from fastapi.testclient import TestClient
        from xlwings_server.main import app
        client = TestClient(app)
        meta = client.get("/xlwings/custom-functions-meta")
        manifest = client.get("/manifest.xml")
        payload = json.loads({json.dumps(json.dumps(_payload("LOCALIZATION", [ROWS, [[None]], [[None]], [[None]], [["en"]]])))})
        call = client.post("/xlwings/custom-functions-call", json=payload)
        print("RESULT" + json.dumps({{"meta": [meta.status_code, meta.json()],
                                      "manifest": [manifest.status_code, manifest.text],
                                      "call": [call.status_code, call.json()]}}))
    """)
    env = dict(os.environ)
    env.update(XLWINGS_PROJECT_DIR=str(SERVER), XLWINGS_LICENSE_KEY="noncommercial",
               PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]))
    env.pop("XLWINGS_ON_SERVER", None)
    proc = subprocess.run([sys.executable, "-c", script], cwd=SERVER, env=env, capture_output=True, text=True,
                          timeout=1800)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")), None)
    assert line is not None, proc.stderr[-3000:]
    out = json.loads(line[len("RESULT"):])

    status, meta = out["meta"]
    assert status == 200
    assert generate.validate_metadata(meta) == []
    assert meta == generate.officejs_metadata()
    names = {f["name"] for f in meta["functions"]}
    assert names == {s.name for s in registry.functions()}  # =LOCALIZATION(...), no namespace prefix

    status, manifest = out["manifest"]
    assert status == 200 and "<Namespace" not in manifest and "CustomFunctions" in manifest

    status, call = out["call"]
    assert status == 200
    assert call["result"][1][1] == pytest.approx(1.8)
