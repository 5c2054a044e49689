"""The LibreOffice harness without LibreOffice: what it says when the application is missing, and
its pure helpers. (The checks in a running LibreOffice are in test_libreoffice.py.)"""

import pytest

from support import office
from xlkg import cli, render
from xlkg.core.result import InputError


def test_missing_libreoffice_is_named_with_its_package(monkeypatch, tmp_path):
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    monkeypatch.setattr(render.os.path, "exists", lambda p: False)
    reason = office.unavailable_reason()
    assert "libreoffice-calc-nogui" in reason and "poppler-utils" in reason
    book = tmp_path / "b.xlsx"
    book.write_bytes(b"PK")
    with pytest.raises(office.OfficeError, match="libreoffice-calc-nogui"):
        office.to_pdf(book, tmp_path)

def test_render_command_without_libreoffice_is_exit_2_with_the_reason_on_stderr(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(render, "find_soffice", lambda: None)
    book = tmp_path / "b.xlsx"
    book.write_bytes(b"PK")
    assert cli.main(["render", str(book), "-o", str(tmp_path)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.startswith("xlkg render: needs LibreOffice") and "libreoffice-calc-nogui" in out.err


def test_a4_and_page_lists():
    assert office.is_a4((595.276, 841.89)) and office.is_a4((841.89, 595.276))
    assert not office.is_a4((612.0, 792.0))  # US Letter
    assert render._page_list("1,3-4", 5) == [1, 3, 4]
    assert render._page_list(None, 3) == [1, 2, 3]
    assert render._page_list("4-9", 5) == [4, 5]
    with pytest.raises(InputError, match=r"--pages: '1-x' is not a list of pages"):
        render._page_list("1-x", 5)


def test_error_cells_lists_error_values_only():
    values = {"S": {"A1": 1.0, "A2": "#NAME?", "A3": "Err:502", "A4": "текст", "A5": "#DIV/0!"}}
    assert office.error_cells(values) == ["S!A2 = #NAME?", "S!A3 = Err:502", "S!A5 = #DIV/0!"]
    assert office.error_cells(values, {"S": ["A1", "A5"]}) == ["S!A5 = #DIV/0!"]


def test_references_of_formulas():
    names = {"Итог": [("Данные", (2, 4, 2, 4))]}
    refs = office._references("=SUM('Данные'!$B$2:C3)+A1*итог+\"B9\"", "S", names)
    assert ("Данные", (2, 2, 3, 3)) in refs and ("S", (1, 1, 1, 1)) in refs and ("Данные", (2, 4, 2, 4)) in refs
    assert all(r[1] != (9, 2, 9, 2) for r in refs)  # text inside quotes is not a reference
    assert ("S", (1, 1, 1048576, 2)) in office._references("=SUM(A:B)", "S", {})
