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
    rows = read_csv(out.read_text(encoding="utf-8"))
    assert [float(r["rank 2016"]) for r in rows] == [2, 1, 3]
    assert [float(r["rank change"]) for r in rows] == [-1, 0, 0]


def test_rating_cli_bad_direction_exits_2_with_message(tmp_path, capsys):
    path = write(tmp_path, "r.csv", "region,out,wage\nA,1,2\nB,2,1\n")
    assert main(["rating", path, "--directions", "+,больше"]) == 2
    err = capsys.readouterr().err
    assert "position 2 (indicator 'wage') is 'больше'" in err and "Traceback" not in err
