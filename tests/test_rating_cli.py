"""`xlkg rating` on CSV files: the worked examples of test_rating.py / test_rating_years.py again."""

import csv
import io

import pytest

from xlkg.cli import main


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_rating_csv_ministry_style(tmp_path, capsys):
    # semicolon CSV, decimal comma with a space thousands separator, "н/д" for no data:
    #   out: Чүй 1000.5 (max) -> 1, Нарын 800/1000.5; wage /20; loss 1/x (min 1)
    #   Чүй (1 + .5 + .5)/3 = 2/3;  Талас (1 + .25)/2 = .625 (2 of 3);  Нарын (.79960 + .5 + 1)/3 = .76653
    #   -> Нарын 1, Чүй 2, Талас 3
    path = write(tmp_path, "r.csv", "Регион;out;wage;loss\nЧүй облусу;1 000,5;10;2\n"
                                    "Талас облусу;н/д;20;4\nНарын облусу;800;10;1\n")
    assert main(["rating", path, "--directions", "+,+,-"]) == 0
    rows = read_csv(capsys.readouterr().out)
    assert [r["region"] for r in rows] == ["Чүй облусу", "Талас облусу", "Нарын облусу"]
    assert [float(r["score"]) for r in rows] == pytest.approx([2 / 3, 0.625, (800 / 1000.5 + 1.5) / 3])
    assert [float(r["rank"]) for r in rows] == [2, 3, 1]


def test_rating_years_csv(tmp_path, capsys):
    # the worked example of test_rating_years.py: ranks 2015 A 1, B 1, C 3; 2016 B 1, A 2, C 3
    path = write(tmp_path, "y.csv", "region,year,P,Q\nA,2015,10,1\nB,2015,20,2\nC,2015,5,4\n"
                                    "A,2016,30,2\nB,2016,20,1\nC,2016,10,4\n")
    out = tmp_path / "out.csv"
    assert main(["rating", path, "--years", "--directions", "+,-", "-o", str(out)]) == 0
    # written for Russian-locale Excel: UTF-8 with a BOM, ";" between fields, ranks as integers
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [r["rank 2016"] for r in rows] == ["2", "1", "3"]
    assert [r["rank change"] for r in rows] == ["-1", "0", "0"]


def test_rating_cli_bad_direction_exits_2_with_message(tmp_path, capsys):
    path = write(tmp_path, "r.csv", "region,out,wage\nA,1,2\nB,2,1\n")
    assert main(["rating", path, "--directions", "+,больше"]) == 2
    err = capsys.readouterr().err
    assert "position 2 (indicator 'wage') is 'больше'" in err and "Traceback" not in err


# --------------------------------------------------------------------------------------------------
# issue 11.14: the CSV Russian-locale Excel saves, .xlsx tables, and a CSV Russian Excel opens
#
# The worked example of test_rating_csv_ministry_style above, saved as Excel saves it:
#   Чүй 2/3 -> rank 2, Талас 0.625 -> rank 3, Нарын (800/1000.5 + 1.5)/3 -> rank 1

MINISTRY = [["Регион", "out", "wage", "loss"], ["Чүй облусу", "1 000,5", "10", "2"],
            ["Талас облусу", "н/д", "20", "4"], ["Нарын облусу", "800", "10", "1"]]
SCORES = [2 / 3, 0.625, (800 / 1000.5 + 1.5) / 3]


def _excel_ru_bytes(rows, *, encoding, bom=b""):
    return bom + "\r\n".join(";".join(r) for r in rows).encode(encoding) + b"\r\n"


@pytest.mark.parametrize("encoding, bom", [("cp1251", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-8", b"")])
def test_rating_reads_csv_as_russian_excel_saves_it(tmp_path, capsys, encoding, bom):
    # Kyrgyz letters (ү) are not in cp1251: the cp1251 file names the regions in Russian
    rows = [list(r) for r in MINISTRY]
    if encoding == "cp1251":
        for r, name in zip(rows[1:], ["Чуйская область", "Таласская область", "Нарынская область"], strict=True):
            r[0] = name
    path = tmp_path / "r.csv"
    path.write_bytes(_excel_ru_bytes(rows, encoding=encoding, bom=bom))
    assert main(["rating", str(path), "--directions", "+,+,-"]) == 0
    got = read_csv(capsys.readouterr().out)
    assert [r["region"] for r in got] == [r[0] for r in rows[1:]]
    assert [float(r["score"]) for r in got] == pytest.approx(SCORES, rel=1e-12)
    assert [r["rank"] for r in got] == ["2", "3", "1"]  # integers, never "2.0"


def test_rating_reads_an_xlsx_table(tmp_path, capsys):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Рейтинг"
    for r in MINISTRY:
        ws.append([r[0]] + [float(c.replace(" ", "").replace(",", ".")) if c[0].isdigit() else c for c in r[1:]])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    assert main(["rating", str(path), "--directions", "+,+,-", "--sheet", "Рейтинг"]) == 0
    got = read_csv(capsys.readouterr().out)
    assert [float(r["score"]) for r in got] == pytest.approx(SCORES, rel=1e-12)
    assert [r["rank"] for r in got] == ["2", "3", "1"]


def test_rating_writes_what_russian_excel_opens(tmp_path):
    path = write(tmp_path, "r.csv", "\n".join(";".join(r) for r in MINISTRY) + "\n")
    out = tmp_path / "out.csv"
    assert main(["rating", path, "--directions", "+,+,-", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")            # UTF-8 BOM: Excel reads Cyrillic and Kyrgyz letters
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n") and "\r\n" in text  # Windows line ends
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["region", "score", "rank"]
    assert [r[0] for r in rows[1:]] == ["Чүй облусу", "Талас облусу", "Нарын облусу"]
    # decimal commas, 15 significant digits as Excel keeps them; ranks as integers
    assert [float(r[1].replace(",", ".")) for r in rows[1:]] == pytest.approx(SCORES, rel=1e-14)
    assert "," in rows[1][1] and "." not in rows[1][1]
    assert [r[2] for r in rows[1:]] == ["2", "3", "1"]


def test_rating_plain_csv_on_request(tmp_path):
    path = write(tmp_path, "r.csv", "\n".join(";".join(r) for r in MINISTRY) + "\n")
    out = tmp_path / "out.csv"
    assert main(["rating", path, "--directions", "+,+,-", "-o", str(out), "--csv", "plain"]) == 0
    rows = read_csv(out.read_text(encoding="utf-8"))
    assert [r["rank"] for r in rows] == ["2", "3", "1"]
    assert float(rows[0]["score"]) == pytest.approx(2 / 3, rel=1e-14)


def test_rating_refuses_an_old_xls_with_a_message(tmp_path, capsys):
    path = tmp_path / "r.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    assert main(["rating", str(path)]) == 2
    err = capsys.readouterr().err
    assert "save the table as .xlsx or as CSV" in err and "Traceback" not in err


def test_rating_output_never_replaces_a_file_unasked_nor_its_input(tmp_path, capsys):
    path = write(tmp_path, "r.csv", "\n".join(";".join(r) for r in MINISTRY) + "\n")
    out = tmp_path / "out.csv"
    out.write_text("someone's notes", encoding="utf-8")
    assert main(["rating", path, "--directions", "+,+,-", "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "someone's notes"
    assert main(["rating", path, "--directions", "+,+,-", "-o", str(out), "--overwrite"]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["rating", path, "--directions", "+,+,-", "-o", path, "--overwrite"]) == 2
    assert "Регион" in open(path, encoding="utf-8").read()
    assert "Traceback" not in capsys.readouterr().err
