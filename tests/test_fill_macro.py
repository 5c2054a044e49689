"""The one-click wiring, checked on Linux without Excel.

Chain: the button in xlkg_scorecard.xlsm -> VBA macro SampleCall (xlwings' own VBA, byte for byte) ->
RunPython "import <workbook base name>; <base name>.main()" -> workbooks/xlkg_scorecard.py -> 
xlkg.excel.macros.main. Each link is checked: the button's macro (VML), the macro's source (read from
vbaProject.bin by the MS-OVBA decompression below), the module and function it imports. Then the
function runs on an xlwings-like fake book and must write exactly the cells the headless fill writes.
"""

import importlib
import math
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from support.cluster import MACRO_TEMPLATE, TEMPLATE, WB, headless_cells, same_cells, write_input
from support.officejs import book_payload
from xlkg import xlsx
from xlkg.core.result import InputError
from xlkg.excel import macros, scripts
from xlkg.scorecard.templates import MACRO_MODULE, MACRO_NAME

# ---------------------------------------------------------------------------------------------------
# VBA source from vbaProject.bin: MS-OVBA 2.4.1 "CompressedContainer" decompression (from the spec)

def ovba_decompress(buf: bytes, pos: int) -> bytes:
    assert buf[pos] == 0x01, "compressed container signature"
    pos += 1
    out = bytearray()
    while pos + 2 <= len(buf):
        header = buf[pos] | (buf[pos + 1] << 8)
        if (header >> 12) & 0b111 != 0b011:  # chunk signature
            break
        end = min(pos + (header & 0x0FFF) + 3, len(buf))
        pos += 2
        start = len(out)
        if not header >> 15:  # raw chunk
            out += buf[pos:pos + 4096]
            pos += 4096
            continue
        while pos < end:
            flags = buf[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not (flags >> bit) & 1:
                    out.append(buf[pos])
                    pos += 1
                    continue
                token = buf[pos] | (buf[pos + 1] << 8)
                pos += 2
                done = len(out) - start
                bits = max((done - 1).bit_length(), 4)
                length = (token & (0xFFFF >> bits)) + 3
                offset = (token >> (16 - bits)) + 1
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


def module_source(vba: bytes, module: str) -> str:
    # the source of each module starts with 'Attribute VB_Name = "<module>"', compressed: the first
    # token flag byte is 0 (eight literals: "Attribut"), preceded by the container and chunk headers
    i = vba.find(b"\x00Attribut\x00e VB_Nam\x00")
    while i >= 0:
        src = ovba_decompress(vba, i - 3)
        if src.startswith(b'Attribute VB_Name = "' + module.encode() + b'"'):
            return src.decode("cp1252")
        i = vba.find(b"\x00Attribut\x00e VB_Nam\x00", i + 1)
    raise AssertionError(f"module {module} not found")


def test_button_calls_samplecall_which_imports_the_workbook_base_name():
    with zipfile.ZipFile(MACRO_TEMPLATE) as z:
        vml = z.read("xl/drawings/vmlDrawing1.vml").decode()
        vba = z.read("xl/vbaProject.bin")
    assert f"<x:FmlaMacro>[0]!{MACRO_NAME}</x:FmlaMacro>" in vml
    src = module_source(vba, "Module1")
    assert f"Sub {MACRO_NAME}()" in src
    # mymodule = the workbook's name without its extension; RunPython "import m;m.main()"
    assert 'mymodule = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))' in src
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in src
    assert MACRO_TEMPLATE.stem == MACRO_MODULE


def test_the_imported_module_exists_next_to_the_workbook_and_has_main(monkeypatch):
    # xlwings puts the workbook's folder on sys.path; RunPython then runs "import xlkg_scorecard"
    monkeypatch.syspath_prepend(str(MACRO_TEMPLATE.parent))
    sys.modules.pop(MACRO_MODULE, None)
    mod = importlib.import_module(MACRO_TEMPLATE.stem)
    assert mod.main is macros.main


# ---------------------------------------------------------------------------------------------------
# An xlwings-like book: names[...].refers_to_range, sheets, range((r, c), (r, c)), options(ndim=2)

class FakeRange:
    def __init__(self, book, sheet, r1, c1, r2, c2):
        self.book, self.sheet, self.r1, self.c1, self.r2, self.c2 = book, sheet, r1, c1, r2, c2

    def options(self, ndim=None, err_to_str=False, **rest):
        assert not rest, f"option(s) {rest} not emulated"
        return self

    @property
    def last_cell(self):
        return FakeRange(self.book, self.sheet, self.r2, self.c2, self.r2, self.c2)

    @property
    def row(self):
        return self.r1

    @property
    def column(self):
        return self.c1

    @property
    def value(self):
        rows = [[self.book.cells.get((self.sheet, r, c)) for c in range(self.c1, self.c2 + 1)]
                for r in range(self.r1, self.r2 + 1)]
        if self.r1 == self.r2 and self.c1 == self.c2:
            return rows[0][0]
        return rows

    @value.setter
    def value(self, v):
        rows = v if isinstance(v, list) else [[v]]
        rows = [r if isinstance(r, list) else [r] for r in rows]
        assert len(rows) == self.r2 - self.r1 + 1 and all(len(r) == self.c2 - self.c1 + 1 for r in rows), "shape"
        for i, row in enumerate(rows):
            for j, x in enumerate(row):
                assert not (isinstance(x, float) and math.isnan(x)), "NaN would be a silent blank in Excel"
                self.book.cells[(self.sheet, self.r1 + i, self.c1 + j)] = x
                self.book.written[(self.sheet, self.r1 + i, self.c1 + j)] = x


class FakeSheet:
    def __init__(self, book, name):
        self.book, self.name = book, name

    @property
    def used_range(self):
        keys = [(r, c) for (s, r, c) in self.book.cells if s == self.name]
        return FakeRange(self.book, self.name, 1, 1, max(k[0] for k in keys), max(k[1] for k in keys))

    def range(self, a, b):
        return FakeRange(self.book, self.name, a[0], a[1], b[0], b[1])


class FakeName:
    def __init__(self, rng):
        self.refers_to_range = rng


class FakeApp:
    def __init__(self):
        self.books = []


class FakeBook:
    """Loaded from an .xlsx: cell values (openpyxl, read only) and defined names (xlsxpatch)."""

    def __init__(self, path, app):
        self.fullname, self.name = str(path), Path(path).name
        self.cells, self.written = {}, {}
        wb = openpyxl.load_workbook(path, data_only=True)
        self.sheets = [FakeSheet(self, ws.title) for ws in wb.worksheets]
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        self.cells[(ws.title, c.row, c.column)] = c.value
        names = {}
        for dn in wb.defined_names:
            sheet, ref = xlsx.resolve_name(path, dn)
            r1, c1, r2, c2 = xlsx.refs.range_bounds(ref if ":" in ref else f"{ref}:{ref}")
            names[dn] = FakeName(FakeRange(self, sheet, r1, c1, r2, c2))
        wb.close()
        self.names = names
        self.app = app
        app.books.append(self)

    def written_by_ref(self):
        return {(s, f"{xlsx.col_letter(c)}{r}"): v for (s, r, c), v in self.written.items()}


@pytest.fixture(scope="module")
def hand_input(tmp_path_factory):
    return write_input(tmp_path_factory.mktemp("macro_in") / "hand.xlsx")


def test_macro_on_a_fake_book_writes_what_the_headless_fill_writes(hand_input, tmp_path):
    app = FakeApp()
    book = FakeBook(MACRO_TEMPLATE, app)
    FakeBook(hand_input, app)  # the input workbook is open beside it
    macros.main(book)
    same_cells(book.written_by_ref(), headless_cells(hand_input, MACRO_TEMPLATE, tmp_path))


def test_macro_reads_the_input_path_cell(hand_input, tmp_path):
    app = FakeApp()
    book = FakeBook(TEMPLATE, app)
    book.names["xlkg_input_path"].refers_to_range.value = str(hand_input)
    book.written.clear()
    plan = macros.fill_book(book)
    assert plan.writes["xlkg_cluster"] == "Hand-made cluster"
    same_cells(book.written_by_ref(), headless_cells(hand_input, TEMPLATE, tmp_path))


def test_macro_without_input_says_what_to_do():
    book = FakeBook(TEMPLATE, FakeApp())
    with pytest.raises(InputError, match="xlkg_input_path"):
        macros.main(book)


def test_office_js_script_fills_from_its_own_sheets(hand_input, tmp_path):
    # Office.js sees one workbook: the input sheets are copied into the scorecard
    app = FakeApp()
    book = FakeBook(TEMPLATE, app)
    src = FakeBook(hand_input, FakeApp())
    for (s, r, c), v in src.cells.items():
        if s in macros.INPUT_SHEETS:
            book.cells[(s, r, c)] = v
    book.sheets += [FakeSheet(book, s) for s in macros.INPUT_SHEETS]
    scripts.fill_scorecard(book)
    same_cells(book.written_by_ref(), headless_cells(hand_input, TEMPLATE, tmp_path))
    with pytest.raises(InputError, match="no input sheets"):
        scripts.fill_scorecard(FakeBook(TEMPLATE, FakeApp()))


def test_the_example_workbook_is_where_the_macro_expects_it():
    assert (WB / f"{MACRO_MODULE}.py").exists() and (WB / "xlkg_scorecard_example.xlsx").exists()


def remote_actions(template, input_path):
    """Run the Office.js script on xlwings' own remote Book built from the JSON the Excel client
    posts; return the actions the client would replay. Needs XLWINGS_LICENSE_KEY at import time of
    xlwings, so the test runs it in a child process with the noncommercial switch set only there."""
    import xlwings as xw

    payload = book_payload(template, input_path, version=xw.__version__)
    book = xw.Book(json=payload)
    assert type(book.impl).__module__ == "xlwings.pro._xlremote"
    scripts.fill_scorecard(book)
    return {"order": [s["name"] for s in payload["sheets"]], "actions": book.json()["actions"]}


def test_office_js_script_on_a_real_xlwings_remote_book(hand_input, tmp_path):
    # The writes must be plain setValues actions landing on exactly the headless fill's cells.
    import json
    import os
    import subprocess

    here = Path(__file__).resolve().parent
    code = ("import json, sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import test_fill_macro as t; "
            "print(json.dumps(t.remote_actions(sys.argv[3], sys.argv[4]), ensure_ascii=False, default=str))")
    env = dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial")
    env.pop("XLWINGS_ON_SERVER", None)
    run = subprocess.run([sys.executable, "-c", code, str(here), str(here.parent), str(TEMPLATE), str(hand_input)],
                         capture_output=True, text=True, env=env, timeout=18000)
    assert run.returncode == 0, run.stderr[-2000:]
    res = json.loads(run.stdout.strip().splitlines()[-1])
    order, actions = res["order"], res["actions"]
    assert {a["func"] for a in actions} == {"setValues"}
    got = {}
    for a in actions:
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                ref = f"{xlsx.col_letter(a['start_column'] + j + 1)}{a['start_row'] + i + 1}"
                got[(order[a["sheet_position"]], ref)] = None if v == "" else v
    same_cells(got, headless_cells(hand_input, TEMPLATE, tmp_path))


def test_office_js_metadata_lists_the_script():
    # with the Office.js decorators (XLWINGS_ON_SERVER) the script is registered with its book parameter
    import json
    import os
    import subprocess

    code = ("import json; from xlkg.excel import scripts; from xlwings.server import custom_scripts_meta; "
            "print(json.dumps(custom_scripts_meta(scripts), ensure_ascii=False))")
    env = dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial", XLWINGS_ON_SERVER="true")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=18000,
                         cwd=str(Path(__file__).resolve().parent.parent))
    assert run.returncode == 0, run.stderr[-2000:]
    meta = json.loads(run.stdout.strip().splitlines()[-1])
    assert [(m["function_name"], m["name"]) for m in meta] == [("fill_scorecard", "Fill scorecard / Заполнить / Толтуруу")]
