"""Workbooks the tests build or borrow: a "rich" workbook holding every kind of part a ministry template
may carry (built with xlsxwriter), and the macro workbook shipped in the xlwings wheel."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import xlsxwriter

SHEET = "Данные"


def tiny_png() -> bytes:
    """A 2x2 red PNG, written by hand (signature, IHDR, IDAT, IEND)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def quickstart_xlsm() -> Path:
    import xlwings
    p = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    assert p.is_file(), "the xlwings wheel ships quickstart_standalone.xlsm"
    return p


def build_rich(path: Path, *, vba: bytes | None = None) -> Path:
    """A workbook holding every kind of part a ministry template may carry."""
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    num = wb.add_format({"num_format": "0.00"})
    pct = wb.add_format({"num_format": "0.0%"})
    ws = wb.add_worksheet(SHEET)
    ws.set_column("B:C", 12, num)
    ws.set_column("F:F", 10, pct)
    ws.write_row(0, 0, ["Аймак / Регион", "2020", "2021", "Сумма"], bold)
    ws.write_row(1, 0, ["Чүй", 1.5, 2.5])
    ws.write_row(2, 0, ["Ош", 3, 4])
    ws.write_formula("D2", "=B2+C2", None, 4)
    ws.write_formula("D3", "=B3+C3", None, 7)
    ws.write_array_formula("E2:E3", "{=B2:B3*2}", None, 3)
    ws.merge_range("A6:C6", "Объединено", bold)
    ws.data_validation("B2:C3", {"validate": "decimal", "criteria": ">=", "value": 0})
    ws.conditional_format("B2:C3", {"type": "3_color_scale"})
    ws.write("B8", 42, num)
    ws.insert_image("H20", "pixel.png", {"image_data": io.BytesIO(tiny_png())})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": f"='{SHEET}'!$B$2:$B$3", "categories": f"='{SHEET}'!$A$2:$A$3"})
    ws.insert_chart("H2", chart)
    wb.define_name("Итог", f"='{SHEET}'!$D$2")
    wb.define_name("блок", f"='{SHEET}'!$B$2:$C$3")
    wb.define_name("строка", f"='{SHEET}'!$B$8:$C$8")
    wb.define_name(f"'{SHEET}'!местное", f"='{SHEET}'!$B$8")
    wb.define_name("константа", "=3.5")
    ws2 = wb.add_worksheet("Summary")
    ws2.write("A1", "Summary")
    ws2.write("B1", 1)
    cs = wb.add_chartsheet("Диаграмма")
    chart2 = wb.add_chart({"type": "line"})
    chart2.add_series({"values": f"='{SHEET}'!$C$2:$C$3"})
    cs.set_chart(chart2)
    if vba is not None:
        wb.add_vba_project(io.BytesIO(vba), is_stream=True)
        ws2.insert_button("D2", {"macro": "SampleCall", "caption": "Заполнить"})
    wb.close()
    return path


# The toy region x sector table of the recalculation tests (REAT locq2 of it: A/S1 = 1.8, D/S3 = 12/11;
# Ki > 1 at A/S1, B/S2 (40/21), C/S3, D/S2, D/S3).
TOY_TABLE = [["Регион", "S1", "S2", "S3"], ["A", 120, 30, 50], ["B", 40, 80, 20], ["C", 10, 10, 90],
             ["D", 30, 60, 60]]


def sheet_with(rows, title: str = "S"):
    """A new openpyxl workbook whose first sheet, named `title`, holds `rows` from A1: (workbook, sheet)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    return wb, ws
