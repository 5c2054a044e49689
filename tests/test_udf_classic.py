"""Classic Excel (the xlwings add-in over COM), emulated with xlwings' own Windows code.

What runs here is xlwings 0.37.8's real Windows UDF path: `com_server.XLPython.CallUDF` (what the VBA
`XLPy.CallUDF` reaches), `udfs.call_udf` and the Windows engine's conversion of arguments and results
(`_xlwindows.Engine`), imported on Linux with only the COM modules stubbed (pythoncom, pywintypes,
win32com, win32api & co; none of their functions is on this path). Arguments are shaped as pywin32
hands them over: a range is a COM Range whose `Value` is a tuple of row tuples (a scalar for one cell),
an empty cell is None, an error cell is its COM error code (#N/A = -2146826246), a number typed into
the formula is a float, an omitted optional argument is the COM "missing" value -2147352572.

The last step, in Excel, is the VBA wrapper of `workbooks/xlkg_udfs.bas`: it is applied as that file
says (each function's result through XlkgCells; each `Case "<text>": ... CVErr(<n>)`), where VBA's
CVErr(n) is the COM error code 0x800A0000 + n, which is checked against xlwings' own table of the
codes Excel gives error cells (`_xlwindows.cell_errors`).

For every registered function the test asserts: real error values where a value is missing (never
text, never an empty cell), no text over 255 characters, and the same block as the headless path
(`xlkg recalc` on a workbook holding the same calls as array formulas).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import math
import re
import sys
import types
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from support.workbooks import TOY_TABLE
from xlkg.excel import generate, registry

REPO = Path(__file__).resolve().parents[1]
MISSING = -2147352572  # DISP_E_PARAMNOTFOUND: what VBA passes for an omitted Optional argument
COM_NA = -2146826246  # the COM code of an #N/A cell (xlwings' _xlwindows.cell_errors)
VBA_ERROR_BASE = -2146828288  # 0x800A0000 as a signed 32-bit SCODE: CVErr(n) is this + n


# ---------------------------------------------------------------------------------------------
# xlwings' Windows modules on Linux


def _stub_com_modules() -> dict[str, types.ModuleType]:
    mods = {}

    def mod(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        mods[name] = m
        return m

    pythoncom = mod("pythoncom", CoInitialize=lambda: None, __file__=None, IID_IDispatch="IDispatch",
                    IID_IEnumVARIANT="IEnumVARIANT")
    pythoncom.TypeIIDs = {"IDispatch": type("PyIDispatch", (), {})}
    mod("pywintypes", com_error=type("com_error", (Exception,), {}), error=type("error", (Exception,), {}),
        TimeType=type("TimeType", (), {}), IID=lambda s: s.upper())
    for name in ("win32api", "win32con", "win32gui", "win32event", "win32timezone"):
        mod(name)
    mod("win32process", GetWindowThreadProcessId=lambda hwnd: (0, 4242))
    client = mod("win32com.client", Dispatch=lambda *a, **k: None, DispatchEx=lambda *a, **k: None,
                 CDispatch=type("CDispatch", (), {}), CoClassBaseClass=type("CoClassBaseClass", (), {}),
                 DispatchBaseClass=type("DispatchBaseClass", (), {}), VARIANT=type("VARIANT", (), {}))
    win32com = mod("win32com", client=client)
    server = mod("win32com.server")
    win32com.server = server

    def unwrap(obj):
        raise ValueError("not a wrapped Python object")

    server.util = mod("win32com.server.util", unwrap=unwrap, wrap=lambda x: x)
    mod("win32com.server.dispatcher")
    mod("win32com.server.policy")
    return mods


class _Anything:
    def __getattr__(self, name):
        return _Anything()

    def __call__(self, *args, **kwargs):
        return _Anything()


@contextlib.contextmanager
def windows_xlwings():
    """(xlwings._xlwindows, xlwings.udfs, xlwings.com_server) imported with the COM modules stubbed and
    the Windows engine registered as xlwings' "excel" engine; everything is undone afterwards."""
    import xlwings
    import xlwings.main

    stubs = _stub_com_modules()
    ours = ["xlwings._xlwindows", "xlwings._win32patch", "xlwings.udfs", "xlwings.com_server"]
    saved = {n: sys.modules.get(n) for n in list(stubs) + ours}
    saved_attrs = {n: getattr(xlwings, n.split(".")[1], None) for n in ours}
    saved_ctypes = {n: getattr(ctypes, n, None) for n in ("oledll", "windll", "PyDLL")}
    engines_before = (list(xlwings.engines.engines), dict(xlwings.engines.engines_by_name), xlwings.engines.active)
    try:
        # ctypes' Windows loaders, used at import time for window handles only
        ctypes.oledll = ctypes.windll = _Anything()
        ctypes.PyDLL = lambda *a, **k: _Anything()
        sys.modules.update(stubs)
        for n in ours:
            sys.modules.pop(n, None)
        xw_win = importlib.import_module("xlwings._xlwindows")
        udfs = importlib.import_module("xlwings.udfs")
        com_server = importlib.import_module("xlwings.com_server")
        xlwings.engines.add(xlwings.main.Engine(impl=xw_win.engine))
        yield xw_win, udfs, com_server
    finally:
        xlwings.engines.engines, xlwings.engines.engines_by_name, xlwings.engines.active = engines_before
        for n, v in saved_ctypes.items():
            if v is None:
                if hasattr(ctypes, n):
                    delattr(ctypes, n)
            else:
                setattr(ctypes, n, v)
        for n, m in saved.items():
            if m is None:
                sys.modules.pop(n, None)
            else:
                sys.modules[n] = m
        for n, v in saved_attrs.items():
            attr = n.split(".")[1]
            if v is None:
                if hasattr(xlwings, attr):
                    delattr(xlwings, attr)
            else:
                setattr(xlwings, attr, v)


class ComRange:
    """A COM Range as pywin32 hands it to Python (the parts xlwings' Windows Range reads)."""

    IID = "{00020846-0000-0000-C000-000000000046}"  # Excel's Range interface

    def __init__(self, rows):
        rows = tuple(tuple(r) for r in rows)
        iid = self.IID.upper()
        self._oleobj_ = types.SimpleNamespace(
            GetTypeInfo=lambda: types.SimpleNamespace(GetTypeAttr=lambda: types.SimpleNamespace(iid=iid)))
        self.Value = rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows
        app = types.SimpleNamespace(Hwnd=1)
        self.Worksheet = types.SimpleNamespace(Parent=types.SimpleNamespace(Application=app), Name="Data")
        self.Row = self.Column = 1
        self.Rows = types.SimpleNamespace(Count=len(rows))
        self.Columns = types.SimpleNamespace(Count=len(rows[0]))


class VbaError:
    """A VBA error value (CVErr(n)) as it reaches Excel: a VT_ERROR with the SCODE 0x800A0000 + n."""

    def __init__(self, number: int):
        self.code = VBA_ERROR_BASE + number

    def __repr__(self):
        return f"VbaError({self.code})"


def vba_conversion(bas_text: str, xw_win):
    """What workbooks/xlkg_udfs.bas does to a function's result: {function: converts?} and the
    text -> VbaError map of its Case lines (each checked against xlwings' table of Excel's codes)."""
    cases = {t: VbaError(int(n)) for t, n in re.findall(r'Case "([^"]+)": XlkgErrorValue = CVErr\((\d+)\)', bas_text)}
    for text, err in cases.items():
        assert xw_win.cell_errors[err.code] == text, f"CVErr for {text} is not Excel's {text}"
    converts = {name: bas_text.count(f"{name} = XlkgCells(XLPy.CallUDF(") == 2
                for name in generate.parse_vba_functions(bas_text)}
    return converts, cases


# ---------------------------------------------------------------------------------------------
# the calls: every registered function, with good input, a missing value, an error cell, bad input


class R:
    """A range argument: its cells as rows (None = empty cell, ERR = an #N/A error cell)."""

    def __init__(self, rows):
        self.rows = [list(r) for r in rows]


OMIT = object()  # an omitted optional argument
ERR = object()  # an #N/A error cell in an input range
LONG = "x" * 300  # text longer than a cell returned to classic Excel may hold

# tests/data/vectors/toy_xlkg_4x3_output (REAT locq: A/S1 1.8, B/S2 40/21, D/S3 12/11)
T = TOY_TABLE
# the same with its totals and one cell without data (B/S2): that cell's Kl is #N/A, the others are not
TT = [["Регион", "S1", "S2", "S3", "Бардыгы"], ["A", 120, 30, 50, 200], ["B", 40, "н/д", 20, 140],
      ["C", 10, 10, 90, 110], ["D", 30, 60, 60, 150], ["Кыргыз Республикасы", 200, 180, 220, 600]]
TT_ERR = [[ERR if c == "н/д" else c for c in r] for r in TT]  # the gap as an #N/A error cell
POP = [["Регион", "Калк"], ["A", 10], ["B", None], ["C", 5], ["D", 20], ["Кыргыз Республикасы", 50]]
AREA = [["Регион", "km2"], ["A", 4], ["B", 2], ["C", 5], ["D", 1], ["Кыргыз Республикасы", 12]]
IND = [["Регион", "out", "wage", "loss"], ["Чүй облусу", "100,0", 10, "2"], ["Ошская область", 50.0, "20,0", 4],
       ["Naryn", "80", 10.0, "1,0"], ["Баткен облусу", 40, "5", "8,0"], ["Кыргыз Республикасы", "270,0", 45, 15]]
DIRS = [["+", "+", "-"]]
YEARS = [["Аймак", "Жыл", "P", "Q"], ["Талас облусу", 2015, "10", "1,0"], ["Бишкек ш.", 2015, 20, 2],
         ["Osh city", 2015, "5,0", 4], ["Таласская область", "2016", "30", 2], ["г. Бишкек", 2016, "20,0", "1"],
         ["Osh city", 2016, 10, "4"]]
T21 = [["Көрсөткүч", 2015, 2016, 2017], ["Өнөр жай, бардыгы", 100.0, 110.0, 121.0], ["a", 40.0, 50.0, None],
       ["b", 60.0, 60.0, 70.0]]
T2 = [["Регион", "S1", "S2", "S3"], ["A", 150, 33, 40], ["B", 44, 96, 25], ["C", 9, 12, 120], ["D", 36, 60, 75]]
KL = [["Kl", "S1", "S2"], ["A", 2.0, 0.5], ["B", 1.0, "н/д"]]
KDP = [["Kdp", "S1", "S2"], ["A", 2.0, 1.5], ["B", 0.5, 1.0]]
KS = [["Ks", "S1", "S2"], ["A", 2.0, 1.0], ["B", 1.0, 1.0]]


def _seed_potentials():
    """The seed's Table 3.1 (xlkg/data) as a ministry sheet holds it: dashes, decimal commas as text."""
    import csv

    with open(REPO / "xlkg" / "data" / "seed_table_3_1_cluster_potential.csv", encoding="utf-8") as f:
        raw = list(csv.reader(f))
    return [["Аймак"] + raw[0][2:]] + [[r[1]] + [x.replace(".", ",") if x else "-" for x in r[2:]] for r in raw[1:]]


KI = _seed_potentials()
PROPOSAL = [["Кластер", "Регионы"], ["Текстиль", "Чуйская область; г. Бишкек"]]

CALLS = {
    "LOCALIZATION": [[R(T)], [R(TT), OMIT, OMIT, OMIT, "en"], [R(TT_ERR)], [R([["x"]])], [R(T), OMIT, OMIT, OMIT, R([[LONG]])]],
    "LOCALIZATION_MEAN": [[R(T), R(T), "geometric"], [R(TT), R(TT)], [R(T), R([[LONG]])]],
    "PER_CAPITA": [[R(T), R(POP)], [R(T), R(POP), OMIT, "en"], [R(T), R([["Z", 1]])], [R(T), R(POP), OMIT, R([[LONG]])]],
    "SPECIALIZATION": [[R(T), R(POP)], [R(T), R(POP), OMIT, OMIT, OMIT, R([[LONG]])]],
    "CLUSTER_POTENTIAL": [[R(KL), R(KDP), R(KS)], [R(KL), R(KDP), R(KS), "mean", "en"], [R(KL), R(KDP), R(KS), "median"],
                          [R(KL), R(KDP), R(KS), OMIT, R([[LONG]])]],
    "ADVANTAGE": [[R(KL)], [R(KL), 1.5, "en"], [R(KL), OMIT, R([[LONG]])]],
    "CANDIDATES": [[R(KL)], [R(KL), OMIT, "en"], [R(KL), R([[LONG]])]],
    "REGION_RATING": [[R(IND), R(DIRS)], [R(IND), R(DIRS), OMIT, OMIT, OMIT, OMIT, OMIT, "en"],
                      [R(IND), R(DIRS), OMIT, OMIT, OMIT, OMIT, "Nowhere"], [R(IND), R(DIRS), OMIT, R([[LONG]])]],
    "REGION_RATING_SCORES": [[R(IND), R(DIRS)], [R(IND), R(DIRS), OMIT, OMIT, "en"], [R(IND), R(DIRS), R([[LONG]])]],
    "REGION_RATING_YEARS": [[R(YEARS), R([["+", "-"]])], [R(YEARS), R([["+", "-"]]), OMIT, OMIT, OMIT, OMIT, "ranks", "en"],
                            [R(YEARS), R([["+", "-"]]), OMIT, OMIT, OMIT, OMIT, R([[LONG]])]],
    "REGION_RATING_SENSITIVITY": [[R(IND), R(DIRS)], [R(IND), R(DIRS), OMIT, OMIT, OMIT, "correlation", OMIT, "en"],
                                  [R(IND), R(DIRS), OMIT, OMIT, R([[LONG]])]],
    "RATING_INDICATORS": [["en"], [OMIT], ["ky"], [R([[LONG]])]],
    "DYNAMICS": [[R(T21)], [R(T21), "base", 2016.0, OMIT, OMIT, "en"], [R(T21), "share", OMIT, "Өнөр жай, бардыгы"],
                 [R(T21), "printed", OMIT, OMIT, OMIT, "ky"], [R(T21), "yearly"], [R(T21), R([[LONG]])]],
    "PEER_INDEX": [[R(T), "hoover"], [R(T), "locq_additive", OMIT, "en"], [R(TT), "gini"], [R(T), R([[LONG]])]],
    "LITZENBERGER": [[R(T), R(AREA), R(POP), R(T)], [R(T), R(AREA), R(AREA), R(T), OMIT, "en"],
                     [R(T), R(AREA), R(POP), R([[LONG]])]],
    "ECO_STARS": [[R(T)], [R(TT), OMIT, "en"], [R(T), R([[LONG]])]],
    "STRONG_CLUSTER": [[R(T), R(T)], [R(T), R(T), OMIT, "en"], [R(T), R(T), R([[LONG]])]],
    "CLUSTERS": [[R(KI)], [R(KI), OMIT, 1.0, "en"], [R(KI), R([["A", "b", "c"]])], [R(KI), OMIT, OMIT, R([[LONG]])]],
    "CLUSTER_CHECK": [[R(KI)], [R(KI), R(PROPOSAL), R([["Текстиль", "light industry"]]), 1.0, "ru"],
                      [R(KI), OMIT, OMIT, OMIT, R([[LONG]])]],
    "REGION_RATING_COMPOSITE": [[R(IND), R(DIRS)], [R(IND), R(DIRS), OMIT, "minmax", OMIT, OMIT, "mean", 0.2, "en"],
                                [R(IND), R(DIRS), OMIT, R([[LONG]])]],
    "RATING_IMPUTE": [[R(IND)], [R(IND), "median", "en"], [R(IND), R([[LONG]])]],
    "RATING_TREAT": [[R(IND)], [R(IND), "winsorise", OMIT, "cells", "en"], [R(IND), R([[LONG]])]],
    "REGION_RATING_COHERENCE": [[R(IND), R(DIRS)], [R(IND), R(DIRS), OMIT, "minmax", OMIT, OMIT, OMIT, "en"],
                                [R(IND), R(DIRS), OMIT, R([[LONG]])]],
    "REGION_RATING_UNCERTAINTY": [[R(IND), R(DIRS), OMIT, 50.0, 5.0], [R(IND), R(DIRS), OMIT, 50.0, 5.0, OMIT, OMIT, OMIT, OMIT, "en"],
                                  [R(IND), R(DIRS), OMIT, R([[LONG]])]],
    "SHIFT_SHARE": [[R(T), R(T2)], [R(T), R(T2), OMIT, OMIT, OMIT, "en"], [R(T), R(T2), R([[LONG]])]],
    "METHOD_TEXT": [["cluster_potential"], ["region_rating", OMIT, "en"], ["localization_mean", "geometric", "ky"],
                    ["nonsense"], [R([[LONG]])]],
}


def _generic_calls(spec) -> list[list]:
    """Calls for a function not (yet) in CALLS: its required arguments as the toy table, then the same
    with a 300-character text as its last argument. They exercise the host path and the 255-character
    rule; CALLS should still get an entry with inputs that make sense for the function."""
    first = [R(T)] * max(1, sum(1 for a in spec.args if not a.optional and not a.vararg))
    calls = [first]
    if not spec.has_vararg and len(spec.args) > len(first):
        calls.append(first + [OMIT] * (len(spec.args) - len(first) - 1) + [R([[LONG]])])
    return calls


ALL_CALLS = {spec.name: CALLS.get(spec.name) or _generic_calls(spec) for spec in registry.functions()}


def test_every_registered_function_is_called():
    names = {s.name for s in registry.functions()}
    assert set(CALLS) <= names  # no call of a function that is gone
    assert set(ALL_CALLS) == names
    missing = sorted(names - set(CALLS))
    # a new function is still called (generically) but should get calls of its own here
    assert len(missing) <= 5, f"add calls with sensible inputs to CALLS for: {missing}"


def _plain(value):
    """An argument as a plain Python call receives it (what every host hands the function)."""
    if value is OMIT:
        return None
    if isinstance(value, R):
        return [["#N/A" if c is ERR else c for c in r] for r in value.rows]
    return value


def _com(value):
    """An argument as VBA's Array(...) hands it over COM."""
    if value is OMIT:
        return MISSING
    if isinstance(value, R):
        return ComRange([[COM_NA if c is ERR else (float(c) if isinstance(c, int) else c) for c in r]
                         for r in value.rows])
    return value


# ---------------------------------------------------------------------------------------------
# the classic results


@pytest.fixture(scope="module")
def classic():
    """{(function, call index): the block Excel receives} through xlwings' Windows path and the VBA module."""
    bas = (REPO / generate.VBA_MODULE).read_text(encoding="utf-8")
    out = {}
    with windows_xlwings() as (xw_win, udfs, com_server):
        converts, cases = vba_conversion(bas, xw_win)
        assert set(cases) == set(registry.RETURNED_ERRORS)
        module = registry.decorated_module(udfs.xlfunc, udfs.xlarg)
        # what Excel's first call does: import the module named in the VBA (here: the decorated copy
        # that a Windows import of xlkg.excel.udfs would give, whose decorators are xlwings' classic ones)
        udfs.udf_modules[registry.UDF_MODULE] = {"module": module, "filetime": None, "filename": "udfs.py"}
        server = com_server.XLPython()
        for name, calls in ALL_CALLS.items():
            spec = registry.get(name)
            for k, call in enumerate(calls):
                args = [_com(a) for a in call]
                if not spec.has_vararg:  # VBA passes every declared parameter, omitted ones as "missing"
                    args += [MISSING] * (len(spec.args) - len(args))
                res = server.CallUDF(registry.UDF_MODULE, name, tuple(args), None, None)
                # XLPy.CallUDF's result: a scalar for one cell, a list for one row, else rows
                block = res if isinstance(res, list) and res and isinstance(res[0], list) else (
                    [res] if isinstance(res, list) else [[res]])
                if converts.get(name):
                    block = [[cases.get(c, c) if isinstance(c, str) else c for c in row] for row in block]
                out[(name, k)] = block
    return out


def test_the_stubbed_modules_are_gone_afterwards(classic):
    assert classic
    for name in ("pythoncom", "pywintypes", "win32com.client", "xlwings.udfs", "xlwings._xlwindows"):
        assert name not in sys.modules or sys.platform.startswith("win")


def test_classic_arguments_arrive_as_xlkg_reads_them():
    # one cell of a range, an omitted optional, an error cell: what the function itself receives
    seen = {}

    def probe(values, lang=None):
        """probe"""
        seen["values"], seen["lang"] = values, lang
        return [[1.0]]

    with windows_xlwings() as (_, udfs, com_server):
        spec = registry.WorksheetFunction("PROBE", probe, "xlkg", "probe", (
            registry.Arg("values", "v", registry.RANGE, False), registry.Arg("lang", "l", registry.SCALAR, True)))
        module = types.ModuleType("probe_module")
        module.PROBE = registry.decorate(registry._copy_function(probe), spec, udfs.xlfunc, udfs.xlarg)
        udfs.udf_modules["probe_module"] = {"module": module, "filetime": None, "filename": "p.py"}
        res = com_server.XLPython().CallUDF("probe_module", "PROBE",
                                            (ComRange([["a", 1.0], [COM_NA, None]]), MISSING), None, None)
    assert res == 1.0
    assert seen == {"values": [["a", 1.0], ["#N/A", None]], "lang": None}


def _cells(block):
    return [c for row in block for c in row]


def test_missing_values_are_real_error_values_in_classic_excel(classic):
    na = VBA_ERROR_BASE + 2042  # CVErr(xlErrNA)
    found = 0
    for (name, k), block in classic.items():
        # the same call in plain Python: where it gives "#N/A", Excel must get the error value, and an
        # empty cell in Excel must be an empty text there (a continuation row, an empty note), never a
        # missing value turned into a blank
        direct = registry.get(name).func(*[_plain(a) for a in ALL_CALLS[name][k]])
        for c, d in zip(_cells(block), _cells(direct), strict=True):
            assert not (isinstance(c, str) and c in registry.RETURNED_ERRORS), f"{name} call {k}: {c} as text"
            if d == "#N/A":
                assert isinstance(c, VbaError) and c.code == na, (name, k, c)
            assert c != "" or d == "", (name, k, d)
            found += isinstance(c, VbaError) and c.code == na
    # the calls with a gap: LOCALIZATION (B/S2 as "н/д" and as an #N/A cell), PER_CAPITA (B), ADVANTAGE,
    # CLUSTER_POTENTIAL (B/S2), DYNAMICS (b 2017) ...
    assert found >= 10
    loc = classic[("LOCALIZATION", 1)]
    assert isinstance(loc[2][2], VbaError) and loc[2][2].code == na  # B/S2, the cell without data
    assert loc[1][1] == pytest.approx(1.8)  # A/S1 = (120/200) / (200/600)
    # the block of a table with a total row and a total column leaves both out (docs/excel-windows.md,
    # step 7: the array range of older Excel is smaller than the input): 6 x 5 cells give 5 x 4
    assert (len(TT), len(TT[0])) == (6, 5) and (len(loc), len(loc[0])) == (5, 4)
    err_cell = classic[("LOCALIZATION", 2)]  # the same gap as an #N/A input cell
    assert isinstance(err_cell[2][2], VbaError) and err_cell[2][2].code == na


def test_no_text_over_255_characters_in_classic_excel(classic):
    longest = max(len(c) for block in classic.values() for c in _cells(block) if isinstance(c, str))
    assert longest <= 255
    # a 300-character argument where a short text belongs: a message in one column that quotes it (in
    # full, over several rows, or shortened by the reader)
    split = 0
    for name in CALLS:
        k = next(i for i, call in enumerate(CALLS[name]) if any(isinstance(a, R) and a.rows == [[LONG]] for a in call))
        block = classic[(name, k)]
        assert all(len(row) == 1 for row in block), (name, block)
        text = registry.message_text(block)
        assert text.startswith(f"{name}: ") and "x" * 20 in text, (name, text)
        split += LONG in text and len(block) >= 2
    assert split >= 10  # most quote it in full


# ---------------------------------------------------------------------------------------------
# the headless path: the same calls as array formulas in a workbook, through `xlkg recalc`


@pytest.fixture(scope="module")
def headless(tmp_path_factory):
    d = tmp_path_factory.mktemp("classic_vs_headless")
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Data"
    res = wb.create_sheet("Results")
    row = 1
    next_top = 1
    places = {}
    for name, calls in ALL_CALLS.items():
        for k, call in enumerate(calls):
            parts = []
            for a in call:
                if a is OMIT:
                    parts.append("")
                elif isinstance(a, R):
                    top = row
                    for i, r in enumerate(a.rows):
                        for j, c in enumerate(r):
                            data.cell(top + i, j + 1, "#N/A" if c is ERR else c)
                    row += len(a.rows) + 1
                    width = max(len(r) for r in a.rows)
                    parts.append(f"Data!A{top}:{openpyxl.utils.get_column_letter(width)}{top + len(a.rows) - 1}")
                elif isinstance(a, str):
                    parts.append('"' + a.replace('"', '""') + '"')
                else:
                    parts.append(repr(a))
            while parts and parts[-1] == "":
                parts.pop()
            expected = registry.get(name).func(*[_plain(a) for a in call])
            h, w = len(expected), max(len(r) for r in expected)
            top, next_top = next_top, next_top + h + 1
            ref = f"A{top}:{openpyxl.utils.get_column_letter(w)}{top + h - 1}"
            res[f"A{top}"] = ArrayFormula(ref, f"={name}({','.join(parts)})")
            places[(name, k)] = (top, h, w)
    src = d / "calls.xlsx"
    wb.save(src)
    out = d / "calls_recalculated.xlsx"
    from xlkg.cli import main

    assert main(["recalc", str(src), "-o", str(out)]) == 0
    values = openpyxl.load_workbook(out, data_only=True)["Results"]
    return {key: [[values.cell(top + i, 1 + j).value for j in range(w)] for i in range(h)]
            for key, (top, h, w) in places.items()}


def _same(a, b) -> bool:
    if isinstance(a, VbaError):
        return isinstance(b, str) and b in registry.RETURNED_ERRORS and a.code == VBA_ERROR_BASE + {
            "#NULL!": 2000, "#DIV/0!": 2007, "#VALUE!": 2015, "#REF!": 2023, "#NAME?": 2029, "#NUM!": 2036,
            "#N/A": 2042}[b]
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, float) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    if a == "" and b is None:  # an empty text cell of a continuation row
        return True
    return a == b


def test_classic_blocks_equal_the_headless_blocks(classic, headless):
    for key, block in classic.items():
        other = headless[key]
        assert (len(block), max(len(r) for r in block)) == (len(other), len(other[0])), key
        bad = [(i, j, a, b) for i, (ra, rb) in enumerate(zip(block, other, strict=True)) for j, (a, b) in enumerate(zip(ra, rb, strict=True))
               if not _same(a, b)]
        assert bad == [], (key, bad[:5])


# ---------------------------------------------------------------------------------------------
# the VBA conversion itself, executed: LibreOffice Basic runs VBA code (Option VBASupport 1)


@pytest.mark.libreoffice
def test_the_vba_conversion_runs_and_gives_error_values(tmp_path):
    from support.office import run_basic, unavailable_reason

    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(f"LibreOffice checks skipped: {reason}")
    bas = (REPO / generate.VBA_MODULE).read_text(encoding="utf-8").replace("\r\n", "\n")
    helpers = bas[bas.index("Private Function XlkgErrorValue"):]  # the module's own helper code, as is
    code = "Option VBASupport 1\n" + helpers + """
Sub Main
    Dim a(0 To 1, 0 To 1) As Variant, b(0 To 2) As Variant, r As Variant, s As Variant, one As Variant, n As Integer
    a(0, 0) = "#N/A": a(0, 1) = 1.5: a(1, 0) = "text": a(1, 1) = "#DIV/0!"
    b(0) = "#N/A": b(1) = 2: b(2) = "#N/A is text here"
    r = XlkgCells(a)
    s = XlkgCells(b)
    one = XlkgCells("#N/A")
    n = FreeFile()
    Open Environ("XLKG_LO_OUT") For Output As #n
    Print #n, "r00|" & IsError(r(0, 0)) & "|" & VarType(r(0, 0)) & "|" & (r(0, 0) = CVErr(2042))
    Print #n, "r01|" & IsError(r(0, 1)) & "|" & VarType(r(0, 1)) & "|" & r(0, 1)
    Print #n, "r10|" & IsError(r(1, 0)) & "|" & VarType(r(1, 0)) & "|" & r(1, 0)
    Print #n, "r11|" & IsError(r(1, 1)) & "|" & VarType(r(1, 1)) & "|" & (r(1, 1) = CVErr(2007))
    Print #n, "s0|" & IsError(s(0)) & "|" & VarType(s(0)) & "|" & (s(0) = CVErr(2042))
    Print #n, "s1|" & IsError(s(1)) & "|" & VarType(s(1)) & "|" & s(1)
    Print #n, "s2|" & IsError(s(2)) & "|" & VarType(s(2)) & "|" & s(2)
    Print #n, "one|" & IsError(one) & "|" & VarType(one) & "|" & (one = CVErr(2042))
    Close #n
End Sub
"""
    got = dict(line.split("|", 1) for line in run_basic(tmp_path, code).splitlines() if "|" in line)
    # VarType 10 = vbError (an error value), 5 = Double, 8 = String, 2 = Integer
    assert got == {"r00": "True|10|True", "r01": "False|5|1.5", "r10": "False|8|text", "r11": "True|10|True",
                   "s0": "True|10|True", "s1": "False|2|2", "s2": "False|8|#N/A is text here",
                   "one": "True|10|True"}
