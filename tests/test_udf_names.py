"""No worksheet function of xlkg has the name of a built-in function of Excel or LibreOffice.

A spreadsheet runs its own built-in before any add-in function of the same name: Excel's GROWTH
(at most 4 arguments) shadowed xlkg's former GROWTH, and LibreOffice ran its GROWTH on the sample
workbook (Err:504, exported as #VALUE!). The function is now DYNAMICS.

Excel's list of built-in names is openpyxl's `openpyxl.utils.FORMULAE`. LibreOffice's is read from the
installed LibreOffice itself: a headless run of a LibreOffice Basic macro, in a private profile, that
writes the name of every entry of the UNO service `com.sun.star.sheet.FunctionDescriptions` (the list
Calc's Function Wizard shows: its built-ins and the add-in functions it ships) to a file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl.utils import FORMULAE

from conftest import WORKBOOKS
from support import office
from support.office import run_basic
from xlkg.excel import registry

LO_REASON = office.unavailable_reason()

_LIST_FUNCTIONS = """
Sub Main
    Dim fd As Object, props, i As Long, j As Long, n As Integer
    fd = createUnoService("com.sun.star.sheet.FunctionDescriptions")
    n = FreeFile()
    Open Environ("XLKG_LO_OUT") For Output As #n
    For i = 0 To fd.getCount() - 1
        props = fd.getByIndex(i)
        For j = LBound(props) To UBound(props)
            If props(j).Name = "Name" Then Print #n, props(j).Value
        Next j
    Next i
    Close #n
End Sub
"""


def libreoffice_function_names(workdir: Path) -> set[str]:
    """The names of LibreOffice Calc's functions, from the installed soffice (see the module docstring)."""
    return {line.strip().upper() for line in run_basic(workdir, _LIST_FUNCTIONS).splitlines() if line.strip()}


def test_no_registered_name_is_an_excel_built_in():
    assert "GROWTH" in FORMULAE and "SUM" in FORMULAE  # the list is Excel's
    names = {spec.name for spec in registry.functions()}
    assert "DYNAMICS" in names and "GROWTH" not in names
    assert sorted(names & set(FORMULAE)) == []


@pytest.mark.libreoffice
@pytest.mark.skipif(LO_REASON is not None, reason=f"LibreOffice checks skipped: {LO_REASON}")
def test_no_registered_name_is_a_libreoffice_built_in(tmp_path):
    lo = libreoffice_function_names(tmp_path)
    # the list is LibreOffice's: its own functions, Excel's common ones, and the clash that was fixed
    assert {"SUM", "IFERROR", "GROWTH", "EDATE"} <= lo and len(lo) > 300
    names = {spec.name for spec in registry.functions()}
    assert sorted(names & lo) == []


@pytest.mark.libreoffice
@pytest.mark.skipif(LO_REASON is not None, reason=f"LibreOffice checks skipped: {LO_REASON}")
def test_libreoffice_shows_no_built_in_result_in_the_sample_workbook():
    """Recalculated by LibreOffice, which has no xlkg, every xlkg block of the sample workbook shows
    #NAME? (an unknown function) and nothing else: no error of a built-in that ran instead (the former
    GROWTH gave #VALUE! on the sheet "Динамика")."""
    values = office.recalculated_values(WORKBOOKS / "xlkg_sample_ministry.xlsx", recalc=True)
    errors = {sheet: sorted({v for v in cells.values() if isinstance(v, str) and (v.startswith("#") or
                                                                                 v.startswith("Err:"))})
              for sheet, cells in values.items()}
    assert errors["Динамика"] == ["#NAME?"]
    assert {e for found in errors.values() for e in found} == {"#NAME?"}
