"""The Office.js add-in, started as its documentation says (`xlkg serve` in workbooks/server) and asked
what the add-in's own JavaScript asks (xlwings Server 1.20.0's static/js: custom-functions-code.js for
function calls, custom-scripts/index.js for scripts): on 127.0.0.1 only.

Checked: the manifest names the add-in xlkg with its own id and a ribbon button bound to the scorecard
fill; the task pane has the fill button; a function call returns the block with real error values
(runtime 1.4) and, for bad input, xlkg's message; the fill script writes what `xlkg fill` writes and,
without input sheets, answers xlkg's message (not "An error occurred."); without authentication a
request that came through a proxy is refused, with authentication ("xlkg" access keys) a request
without the key is refused with xlkg's message and one with the key is answered; a non-loopback
--host without authentication does not start.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
import tomllib

from support.cluster import TEMPLATE, WB, headless_cells, same_cells
from support.officejs import book_payload
from xlkg.excel import registry, server

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "workbooks" / "server"
XLKG = Path(sys.executable).with_name("xlkg")  # the console script of this environment

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("xlwings_server", "httpx", "uvicorn")),
    reason="xlwings Server (pip install -e \".[test]\") is not installed")

TT = [["Регион", "S1", "S2", "S3", "Бардыгы"], ["A", 120, 30, 50, 200], ["B", 40, "н/д", 20, 140],
      ["C", 10, 10, 90, 110], ["D", 30, 60, 60, 150], ["Кыргыз Республикасы", 200, 180, 220, 600]]
# an error cell as Excel hands it to a custom function ("allowErrorForDataTypeAny")
NA_CELL = {"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}
ACCESS_KEY = "test-key-" + "k" * 20


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(**extra) -> dict:
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("XLWINGS_") or k.startswith("XLKG_"):
            env.pop(k)
    # settings only from here: not from a .env a developer may keep in workbooks/server
    env.update(XLWINGS_LICENSE_KEY="noncommercial", DOTENV_PATH=os.devnull, **extra)
    return env


@contextlib.contextmanager
def running_server(*args, tls=None, **env):
    """`xlkg serve --port P [args]` in workbooks/server; yields an httpx client on http://127.0.0.1:P
    (https with `tls=(certfile, keyfile)`, passed as --certfile/--keyfile)."""
    import httpx

    port = _free_port()
    cmd = [str(XLKG), "serve", "--port", str(port), *args]
    if tls:
        cmd += ["--certfile", str(tls[0]), "--keyfile", str(tls[1])]
    proc = subprocess.Popen(cmd, cwd=PROJECT, env=_env(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    scheme = "https" if tls else "http"
    verify = ssl.create_default_context(cafile=str(tls[0])) if tls else True
    client = httpx.Client(base_url=f"{scheme}://127.0.0.1:{port}", timeout=60, verify=verify)
    try:
        for _ in range(600):  # until it answers (at most ~150 s on a loaded machine)
            if proc.poll() is not None:
                pytest.fail(f"xlkg serve exited with {proc.returncode}: {proc.stdout.read()[-3000:]}")
            try:
                client.get("/manifest.xml")
                break
            except httpx.TransportError:
                time.sleep(0.25)
        else:
            pytest.fail("xlkg serve did not answer")
        yield client
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def _function_body(func_name, args):
    """The body custom-functions-code.js posts (xlwings Server 1.20.0)."""
    return {"client": "Office.js", "func_name": func_name, "args": args, "caller_address": "[Book1.xlsx]Sheet1!A1",
            "session_id": "test-session", "culture_info_name": "ru-RU", "date_format": "dd.MM.yyyy",
            "version": "0.37.8", "runtime": "1.4"}


def _headers(token="", provider="", **extra):
    # makeServerCall: Content-Type, Authorization (the token of getAuth()), Auth-Provider
    return {"Content-Type": "application/json", "Authorization": token, "Auth-Provider": provider, **extra}


def test_the_add_in_is_xlkg_with_its_own_id_and_a_fill_button():
    settings = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["xlwings_server"]
    assert settings["project_name"] == "xlkg"
    # not xlwings Server's default manifest id
    assert settings["manifest_id_prod"] != "4f342d85-3a49-41cb-90a5-37b1f2219040"
    with running_server() as client:
        manifest = client.get("/manifest.xml")
        taskpane = client.get("/taskpane.html")
        ribbon = client.get("/static/js/ribbon.js")
        icon = client.get("/static/images/icons/xlkg-32.png")
    assert manifest.status_code == 200
    root = ET.fromstring(manifest.text.encode())
    ns = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1"}
    assert root.find("o:Id", ns).text == settings["manifest_id_prod"]
    assert root.find("o:DisplayName", ns).get("DefaultValue") == "xlkg"
    assert "Namespace" not in manifest.text and "Hello World" not in manifest.text and "xlwings Server" not in manifest.text
    assert "<FunctionName>xlkg-fill-scorecard</FunctionName>" in manifest.text
    assert ribbon.status_code == 200 and 'Office.actions.associate("xlkg-fill-scorecard"' in ribbon.text
    assert 'scriptName: "fill_scorecard"' in ribbon.text
    assert taskpane.status_code == 200 and 'xw-click="fill_scorecard"' in taskpane.text
    assert icon.status_code == 200 and icon.content.startswith(b"\x89PNG")


def test_functions_and_the_fill_script_as_the_add_in_calls_them(tmp_path):
    with running_server() as client:
        loc = client.post("/xlwings/custom-functions-call", headers=_headers(),
                          content=json.dumps(_function_body("LOCALIZATION", [TT, [[None]], [[None]], [[None]], [["en"]]])))
        with_error_cell = [[NA_CELL if c == "н/д" else c for c in r] for r in TT]
        err = client.post("/xlwings/custom-functions-call", headers=_headers(),
                          content=json.dumps(_function_body("LOCALIZATION", [with_error_cell, [[None]], [[None]], [[None]], [["en"]]])))
        bad = client.post("/xlwings/custom-functions-call", headers=_headers(),
                          content=json.dumps(_function_body("LOCALIZATION", [[["x" * 300]], [[None]], [[None]], [[None]], [[None]]])))
        fill = client.post("/xlwings/custom-scripts-call/fill_scorecard", headers=_headers(),
                           content=json.dumps(book_payload(TEMPLATE, WB / "xlkg_scorecard_example.xlsx")))
        no_input = client.post("/xlwings/custom-scripts-call/fill_scorecard", headers=_headers(),
                               content=json.dumps(book_payload(TEMPLATE, None)))
        proxied = client.post("/xlwings/custom-functions-call", headers=_headers(**{"X-Forwarded-For": "203.0.113.7"}),
                              content=json.dumps(_function_body("LOCALIZATION", [TT])))

    assert loc.status_code == 200
    block = loc.json()["result"]
    na = {"type": "Error", "errorType": "NotAvailable"}  # what Excel shows as #N/A (xlwings, runtime 1.4)
    assert block[0] == ["localization coefficient", "S1", "S2", "S3"]
    assert block[1][1] == pytest.approx(1.8)  # A/S1 = (120/200) / (200/600)
    assert block[2][2] == na  # B/S2: no data
    assert err.status_code == 200 and err.json()["result"][2][2] == na  # the same gap as an #N/A cell

    assert bad.status_code == 200
    message = bad.json()["result"]
    assert all(len(row) == 1 and len(row[0]) <= 255 for row in message) and len(message) >= 2
    assert registry.message_text(message).startswith("LOCALIZATION: values: expected a table, got one cell of text")

    assert fill.status_code == 200, fill.text
    actions = fill.json()["actions"]
    assert {a["func"] for a in actions} == {"setValues"}
    order = [s["name"] for s in book_payload(TEMPLATE, WB / "xlkg_scorecard_example.xlsx")["sheets"]]
    got = {}
    for a in actions:
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                ref = f"{openpyxl.utils.get_column_letter(a['start_column'] + j + 1)}{a['start_row'] + i + 1}"
                got[(order[a["sheet_position"]], ref)] = None if v == "" else v
    same_cells(got, headless_cells(WB / "xlkg_scorecard_example.xlsx", TEMPLATE, tmp_path))

    # xlkg's own message, not "An error occurred."
    assert no_input.status_code == 400
    assert no_input.text.startswith("xlkg: this workbook has no input sheets: copy 'Settings'")

    # no authentication configured: only requests made on this machine are answered
    assert proxied.status_code == 403 and proxied.text == server.NO_AUTH_MESSAGE


def test_with_access_keys_a_call_needs_the_key():
    with running_server(XLWINGS_AUTH_PROVIDERS='["xlkg"]', XLKG_ACCESS_KEYS=f"{ACCESS_KEY}, another-key-{'z' * 12}") as client:
        body = json.dumps(_function_body("METHOD_TEXT", [[["localization"]], [[None]], [["en"]]]))
        without = client.post("/xlwings/custom-functions-call", headers=_headers(provider="xlkg"), content=body)
        wrong = client.post("/xlwings/custom-functions-call", headers=_headers("wrong-" + ACCESS_KEY, "xlkg"), content=body)
        good = client.post("/xlwings/custom-functions-call", headers=_headers(ACCESS_KEY, "xlkg"), content=body)
        proxied = client.post("/xlwings/custom-functions-call",
                              headers=_headers(ACCESS_KEY, "xlkg", **{"X-Forwarded-For": "203.0.113.7"}), content=body)
        taskpane = client.get("/taskpane.html")
    assert without.status_code == 401 and without.json()["detail"] == server.BAD_KEY_MESSAGE
    assert wrong.status_code == 401
    assert good.status_code == 200 and good.json()["result"][0][0].startswith("localization coefficient: ")
    assert proxied.status_code == 200  # behind a proxy, with authentication on
    assert 'id="xlkg-access-key"' in taskpane.text  # where the user types the key


def test_serve_refuses_other_computers_without_authentication():
    run = subprocess.run([str(XLKG), "serve", "--host", "0.0.0.0", "--port", str(_free_port())], cwd=PROJECT,
                         env=_env(), capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "without authentication xlkg serves this machine only" in run.stderr
    short = subprocess.run([str(XLKG), "serve", "--port", str(_free_port())], cwd=PROJECT, capture_output=True,
                           env=_env(XLWINGS_AUTH_PROVIDERS='["xlkg"]', XLKG_ACCESS_KEYS="short"), text=True, timeout=120)
    assert short.returncode == 2 and "shorter than 16 characters" in short.stderr


def _self_signed(tmp_path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key (what a local HTTPS test needs)."""
    import datetime as dt
    import ipaddress

    crypto = pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    assert crypto
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return certfile, keyfile


def test_serve_speaks_https_with_a_certificate(tmp_path):
    # Office add-ins load only over HTTPS: with --certfile/--keyfile the manifest's addresses are https
    with running_server(tls=_self_signed(tmp_path)) as client:
        manifest = client.get("/manifest.xml")
        call = client.post("/xlwings/custom-functions-call", headers=_headers(),
                           content=json.dumps(_function_body("METHOD_TEXT", [[["localization"]], [[None]], [["en"]]])))
    assert manifest.status_code == 200
    urls = re.findall(r'DefaultValue="(https?://[^"]+)"', manifest.text)
    assert urls and all(u.startswith("https://127.0.0.1:") for u in urls)
    assert call.status_code == 200 and call.json()["result"][0][0].startswith("localization coefficient: ")
