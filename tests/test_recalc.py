"""`xlkg recalc`: formulas evaluated headless, cached values written into a copy of the original."""

import zipfile

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

from xlkg import xlsx
from xlkg.core.result import InputError
from xlkg.recalc import mark_omitted, recalc, rewrite_prefixes

NAMES = ["LOCALIZATION", "LOCALIZATION_MEAN", "PER_CAPITA"]


def test_rewrite_prefixes_of_saved_addin_calls():
    assert rewrite_prefixes("=[1]!LOCALIZATION(A1:C3)", NAMES) == "=LOCALIZATION(A1:C3)"
    assert rewrite_prefixes("=_xldudf_LOCALIZATION_MEAN(A1,B1)", NAMES) == "=LOCALIZATION_MEAN(A1,B1)"
    assert rewrite_prefixes("=_xldudf_XLWINGS_PER_CAPITA(A1,B1)", NAMES) == "=PER_CAPITA(A1,B1)"
    assert rewrite_prefixes("=xlkg.xlam!LOCALIZATION(A1)", NAMES) == "=LOCALIZATION(A1)"
    # other functions and sheet references are left alone
    assert rewrite_prefixes("=[1]!OTHER(A1)+'Данные'!A1", NAMES) == "=[1]!OTHER(A1)+'Данные'!A1"
    assert rewrite_prefixes("=SUM([1]Sheet1!A1)", NAMES) == "=SUM([1]Sheet1!A1)"


def test_omitted_arguments_of_our_functions_are_marked_only_there():
    out = mark_omitted('=SUM(1,,2)+LOCALIZATION(A1:B2,,,,"en")', NAMES)
    assert out.startswith("=SUM(1,,2)+LOCALIZATION(A1:B2,")
    assert out.count("xlkg:omitted") == 3 and out.endswith(',"en")')
    assert mark_omitted("=LOCALIZATION(A1:B2)", NAMES) == "=LOCALIZATION(A1:B2)"


def _workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Данные"
    for row in [["Регион", "S1", "S2", "S3"], ["A", 120, 30, 50], ["B", 40, 80, 20], ["C", "10,0", 10, 90],
                ["D", 30, 60, 60]]:
        ws.append(row)
    ws["A1"].font = Font(bold=True)
    res = wb.create_sheet("Итог")
    res["A1"] = ArrayFormula("A1:D5", '=[1]!LOCALIZATION(Данные!A1:D5,,,,"en")')
    res["A1"].fill = PatternFill("solid", fgColor="FFFF00")
    res["A8"] = ArrayFormula("A8:D12", "=_xldudf_LOCALIZATION(Данные!A1:D5)")
    res["F1"] = "=FOOBAR(1)"
    res["F2"] = "=SUM(("
    res["F3"] = "=SUM(Данные!B2:B5)"
    res["F4"] = "=1/0"
    res["F5"] = "=LOCALIZATION(Данные!A1:D5)"
    wb.defined_names["Ввод"] = DefinedName("Ввод", attr_text="'Данные'!$A$1:$D$5")
    wb.save(path)


def test_recalc_writes_cached_values_and_keeps_everything(tmp_path):
    src, dst = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    _workbook(src)
    before = xlsx.inventory(src)
    report = recalc(src, dst)
    xlsx.assert_preserved(before, xlsx.inventory(dst), changed_parts=["xl/worksheets/sheet2.xml"])

    values = openpyxl.load_workbook(dst, data_only=True)["Итог"]
    # REAT locq2 of the same matrix (tests/data/vectors/toy_xlkg_4x3_output/REAT_locq2.csv): A/S1 = 1.8,
    # D/S3 = 1.09090909090909, B/S2 = 1.9047619047619. By hand: x_r = 200, 140, 110, 150; x_i = 200, 180, 220;
    # x = 600: A/S1 = (120/200) / (200/600) = 1.8; D/S3 = (60/150) / (220/600) = 12/11; B/S2 = (80/140) / (180/600) = 40/21
    assert values["A1"].value == "localization coefficient"  # lang "en" after two omitted arguments
    assert values["B2"].value == pytest.approx(1.8)
    assert values["D5"].value == pytest.approx(12 / 11)
    assert values["A8"].value == "коэффициент локализации"  # the Office.js-prefixed call, default lang
    assert values["C10"].value == pytest.approx(40 / 21)
    # a single-cell formula shows the top-left value of the block, as Excel does
    assert values["F5"].value == "коэффициент локализации"
    # errors per cell: the rest of the workbook is computed
    assert values["F1"].value == "#NAME?"
    assert values["F2"].value == "#NAME?"
    assert values["F3"].value == 190  # 120 + 40 + 30: Excel's SUM over a range skips the text "10,0"
    assert values["F4"].value == "#DIV/0!"
    # exactly the three broken formulas: FOOBAR unknown, "=SUM((" unparsable, 1/0
    assert set(report.errors) == {("Итог", "F1"), ("Итог", "F2"), ("Итог", "F4")}

    formulas = openpyxl.load_workbook(dst)["Итог"]
    assert formulas["A1"].value.text == '=[1]!LOCALIZATION(Данные!A1:D5,,,,"en")'  # prefix kept in the file
    assert formulas["A8"].value.text == "=_xldudf_LOCALIZATION(Данные!A1:D5)"
    assert formulas["A1"].fill.fgColor.rgb == "00FFFF00"
    raw = xlsx.read_raw(dst, "Итог", ["D5", "F1"])
    assert raw["D5"].formula is None and raw["D5"].value is not None  # inside the array range: value only
    assert raw["F1"].t == "e"


def test_recalc_refuses_to_overwrite_and_non_workbooks(tmp_path):
    src = tmp_path / "in.xlsx"
    _workbook(src)
    with pytest.raises(InputError):
        recalc(src, src)
    bad = tmp_path / "notes.txt"
    bad.write_text("x")
    with pytest.raises(InputError):
        recalc(bad, tmp_path / "out.txt")
    with pytest.raises(FileNotFoundError):
        recalc(tmp_path / "missing.xlsx", tmp_path / "out.xlsx")


def test_recalc_keeps_vba_project_byte_for_byte(tmp_path):
    # an .xlsm whose vbaProject.bin must survive (the bytes here stand in for a real VBA project)
    src, dst = tmp_path / "in.xlsm", tmp_path / "out.xlsm"
    _workbook(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as zin, zipfile.ZipFile(src, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0not-a-real-project")
    recalc(src, dst)
    with zipfile.ZipFile(dst) as z:
        assert z.read("xl/vbaProject.bin") == b"\xd0\xcf\x11\xe0not-a-real-project"
