"""Reading ministry-style cells. Expected values are what the cell text says, read by a person."""

import math

import pytest

from xlkg.core.cells import is_total_label, parse_cell, parse_number, read_pairs, read_row, read_table
from xlkg.core.result import InputError


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("7913,8", 7913.8),          # decimal comma (seed Table 2.1, mining 2015)
        ("1 234,5", 1234.5),         # space thousands
        ("1\u00a0234,5", 1234.5),    # no-break space thousands, as Excel's Russian format writes
        ("102\u202f945,0", 102945.0),  # narrow no-break space
        ("−12,3", -12.3),            # Unicode minus
        ("-22 520,6", -22520.6),     # seed Table 2.2, industry 2015
        ("(12,3)", -12.3),           # accounting negative
        ("1.234,5", 1234.5),         # both separators: the rightmost is decimal
        ("1,234.5", 1234.5),
        ("1234,5*", 1234.5),         # footnote mark
        (156.9, 156.9),
        (7, 7.0),
    ],
)
def test_numbers_as_ministries_type_them(cell, expected):
    value, reason = parse_cell(cell)
    assert reason is None
    assert value == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    "cell, reason",
    [
        (None, "blank"),
        ("", "blank"),
        ("-", "no data ('-')"),
        ("–", "no data ('–')"),
        ("—", "no data ('—')"),
        ("н/д", "no data ('н/д')"),
        ("…", "no data ('…')"),
        ("x", "no data ('x')"),
        ("х", "no data ('х')"),  # Cyrillic letter
        ("#N/A", "error value #N/A"),
        ("#DIV/0!", "error value #DIV/0!"),
        ("#VALUE!", "error value #VALUE!"),
        ("#REF!", "error value #REF!"),
        ("abc", "'abc' is not a number"),
        (True, "TRUE is not a number"),
    ],
)
def test_cells_without_a_number_say_why(cell, reason):
    value, why = parse_cell(cell)
    assert math.isnan(value)
    assert why == reason


def test_evaluator_tokens_are_understood():
    import schedula as sh
    from formulas.tokens.operand import XlError

    assert parse_cell(sh.EMPTY) == (pytest.approx(math.nan, nan_ok=True), "blank")
    assert parse_cell(XlError("#DIV/0!"))[1] == "error value #DIV/0!"


def test_parse_number_names_the_argument():
    with pytest.raises(InputError, match="threshold: expected a number, got 'много' is not a number"):
        parse_number("много", where="threshold")


@pytest.mark.parametrize("label", ["Кыргыз Республикасы", "Кыргызская Республика", "Всего", "Итого:",
                                   "Бардыгы", "Total", "Всего по республике", "Kyrgyz Republic"])
def test_total_labels(label):
    assert is_total_label(label)


@pytest.mark.parametrize("label", ["Mining and quarrying, total", "Чүй облусу", "Talas oblast", None, 2019])
def test_not_total_labels(label):
    assert not is_total_label(label)


def test_table_with_totals_markers_and_errors():
    rows = [
        ["Регион", "тоо-кен", "жеңил өнөр жай", "Бардыгы"],
        ["Чүй облусу", "7913,8", "1 234,5", "9 148,3"],
        ["Ош ш.", "-", "#N/A", "5"],
        [None, None, None, None],            # selection larger than the data
        ["Кыргыз Республикасы", 100, 200, 300],
    ]
    t = read_table(rows)
    assert list(t.values.index) == ["Чүй облусу", "Ош ш."]
    assert list(t.values.columns) == ["тоо-кен", "жеңил өнөр жай"]
    assert t.values.loc["Чүй облусу", "жеңил өнөр жай"] == 1234.5
    assert math.isnan(t.values.loc["Ош ш.", "тоо-кен"])
    assert t.missing.loc["Ош ш.", "тоо-кен"] == "row 3 'Ош ш.', column 2 'тоо-кен': no data ('-')"
    assert t.missing.loc["Ош ш.", "жеңил өнөр жай"].endswith("error value #N/A")
    assert t.col_totals.to_dict() == {"тоо-кен": 100.0, "жеңил өнөр жай": 200.0}
    assert t.row_totals.to_dict() == {"Чүй облусу": 9148.3, "Ош ш.": 5.0}
    assert t.grand_total == 300.0


def test_merged_header_over_years():
    rows = [["", "Output", None, "Employment", None],
            [None, 2018, 2019, 2018, 2019],
            ["Chui", 1, 2, 3, 4]]
    t = read_table(rows)
    assert list(t.values.columns) == ["Output / 2018", "Output / 2019", "Employment / 2018", "Employment / 2019"]
    assert t.values.loc["Chui"].tolist() == [1, 2, 3, 4]


def test_numpy_rows_from_the_evaluator():
    import numpy as np
    import schedula as sh

    rows = np.array([["", "a", "b"], ["r1", 1.0, sh.EMPTY], ["r2", "2,5", 3]], dtype=object)
    t = read_table(rows)
    assert t.values.loc["r2", "a"] == 2.5
    assert t.missing.loc["r1", "b"].endswith("blank")


def test_duplicate_labels_are_refused_by_name():
    with pytest.raises(InputError, match="row label 'Chui' appears twice"):
        read_table([["", "a"], ["Chui", 1], ["chui", 2]])


def test_too_small_a_range():
    with pytest.raises(InputError, match="values: expected a table with a header row"):
        read_table([[1.0, 2.0]])


def test_subheading_row_skipped_with_note():
    t = read_table([["", "a"], ["в том числе:", None], ["Chui", 1]])
    assert list(t.values.index) == ["Chui"]
    assert any("introduces a breakdown" in n for n in t.notes)


def test_pairs_with_header_and_total():
    col = read_pairs([["Регион", "Калк"], ["Чуй", "900 000"], ["Talas", "-"], ["Всего", "7 000 000"]],
                     arg="population")
    assert col.values["Чуй"] == 900000.0
    assert math.isnan(col.values["Talas"]) and col.missing["Talas"] == "population 'Talas': no data ('-')"
    assert col.total == 7000000.0


def test_pairs_laid_across():
    col = read_pairs([["Chui", "Talas", "Naryn"], [1, 2, 3]], arg="grp")
    assert col.values.to_dict() == {"Chui": 1.0, "Talas": 2.0, "Naryn": 3.0}


def test_pairs_wrong_width():
    with pytest.raises(InputError, match="population: expected two columns"):
        read_pairs([["a", 1, 2], ["b", 1, 2], ["c", 1, 2]], arg="population")


def test_row_of_directions():
    assert read_row([["+", "-", "+", None]], arg="directions") == ["+", "-", "+"]
    assert read_row([[1], [-1]], arg="directions") == [1, -1]
    with pytest.raises(InputError, match="directions: expected a single row or column"):
        read_row([[1, 2], [3, 4]], arg="directions")


def test_dash_as_zero_only_when_asked():
    rows = [["", "mining", "light"], ["Osh city", "-", "5"], ["Talas", "…", "1"]]
    strict = read_table(rows)
    assert math.isnan(strict.values.loc["Osh city", "mining"])
    zero = read_table(rows, dash_is_zero=True)
    assert zero.values.loc["Osh city", "mining"] == 0.0
    # "…" is "no data" in either reading.
    assert math.isnan(zero.values.loc["Talas", "mining"])
    assert "dashes read as 0" in zero.notes[-1]


def test_parse_grid_reads_every_cell_as_parse_cell_does():
    # The vectorised reader must give, cell for cell, what the one-cell rules give (parse_cell, then
    # settle_ambiguous for "1.234"). Seeded mixtures of what worksheets hold.
    import math
    import random

    from xlkg.core.cells import parse_cell, parse_grid, settle_ambiguous

    pool = [1.5, 0.0, -2.25, float("nan"), float("inf"), 1e-320, 1e308 * 10 / 10, 7, True, None, "", "  ",
            "7913,8", "1 234,5", "-12.5", "1200", "1.234", "1,234", "(5)", "(-5)", "12%", "-", "–", "н/д",
            "#N/A", "abc", "1e400", "9" * 400, "0,000", "-0", "12.", ".5", "1.234,5", "1,234.5", "3*", " 42 ",
            "007", "1.234.567", "+3", "−4,5"]
    rng = random.Random(11)
    for _trial in range(60):
        cells = [rng.choice(pool) for _ in range(rng.randint(1, 40))]
        for dash in (False, True):
            values, reasons = parse_grid(cells, dash_is_zero=dash)
            one = settle_ambiguous(cells, [parse_cell(c, dash_is_zero=dash) for c in cells], dash_is_zero=dash)
            for k, (v, why) in enumerate(one):
                assert reasons.get(k) == why, (cells[k], reasons.get(k), why)
                assert (math.isnan(v) and math.isnan(values[k])) or v == values[k], (cells[k], v, values[k])
