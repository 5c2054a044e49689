"""Issue 11.12: text that is ambiguous is never guessed. Each case is decided by a rule written in
xlkg.core.cells (module docstring) and the cell says which rule refused it.

The expected values are what the cell text says, read by a person; "refused" cells are NaN with a
reason, and a function given only such cells answers with a message naming the cell and the rule.
"""

import math

import pytest

from xlkg.core.cells import AMBIGUOUS, parse_cell, parse_cells, parse_number, read_pairs, read_table, table_decimal
from xlkg.core.result import InputError
from xlkg.excel import registry, udfs


def refused(cell, **kw):
    value, why = parse_cell(cell, **kw)
    assert math.isnan(value), f"{cell!r} was read as {value}"
    return why


# --------------------------------------------------------------------------------------------------
# accounting brackets


def test_a_sign_inside_accounting_brackets_is_ambiguous():
    # "(-5)": the brackets already mean negative; today it is read as +5
    why = refused("(-5)")
    assert why.startswith(AMBIGUOUS) and "write -5 or (5)" in why
    assert refused("(−12,3)").startswith(AMBIGUOUS)  # Unicode minus inside
    assert parse_cell("(5)") == (-5.0, None)
    assert parse_cell("(12,3)") == (-12.3, None)


# --------------------------------------------------------------------------------------------------
# percentages typed as text


@pytest.mark.parametrize("cell", ["12%", "12,5%", "12 %", "-3%", "(4%)"])
def test_a_percentage_typed_as_text_is_refused(cell):
    # "12%" could be 12 (percent, as the rest of a percent column) or 0.12 (Excel's VALUE): refused
    assert "percentage typed as text" in refused(cell)


# --------------------------------------------------------------------------------------------------
# one separator before three digits


@pytest.mark.parametrize("cell", ["1.234", "-12.345", "999.000"])
def test_a_dot_before_three_digits_alone_is_ambiguous(cell):
    why = refused(cell)
    assert why.startswith(AMBIGUOUS) and "no other number of the table says which" in why


def test_a_dot_that_cannot_be_a_thousands_separator_is_a_decimal_point():
    assert parse_cell("0.480") == (0.48, None)    # a leading 0 is never a thousands group
    assert parse_cell("1234.567") == (1234.567, None)  # four digits before the dot
    assert parse_cell("1.5") == (1.5, None)
    assert parse_cell("1.2345") == (1.2345, None)


def test_a_lone_comma_before_three_digits_is_the_decimal_comma():
    # the convention of Kyrgyz and Russian tables and of Russian-locale Excel's VALUE()
    assert parse_cell("1,234") == (1.234, None)


def test_several_separators_of_one_kind_are_thousands():
    assert parse_cell("1.234.567") == (1234567.0, None)
    assert parse_cell("1,234,567") == (1234567.0, None)
    assert math.isnan(parse_cell("1.23.4")[0])  # not groups of three


def test_the_table_decides_the_dot():
    # "0.480" and "7913.8" show a decimal point; "1.234,5" and "1.234.567" show a dot between thousands
    assert table_decimal(["1.234", "0.480"]) == "."
    assert table_decimal(["1.234", "7913.8"]) == "."
    assert table_decimal(["1.234", "1.234,5"]) == ","
    assert table_decimal(["1.234", "2.000.000"]) == ","
    assert table_decimal(["1.234", "12"]) is None
    assert table_decimal(["0.5", "7913,8"]) is None  # both marks: no decision
    assert [v for v, _ in parse_cells(["1.234", "0.480"])] == [1.234, 0.48]
    assert [v for v, _ in parse_cells(["1.234", "1.234,5"])] == [1234.0, 1234.5]
    # a comma before three digits follows a table that writes decimal points: a thousands separator
    assert [v for v, _ in parse_cells(["1,234", "0.5"])] == [1234.0, 0.5]
    mixed = parse_cells(["1.234", "0.5", "7913,8"])
    assert math.isnan(mixed[0][0]) and "use both" in mixed[0][1]


def test_seed_table_3_1_printed_with_decimal_points_reads_as_printed():
    # seed Table 3.1 (xlkg/data/seed_table_3_1_cluster_potential.csv), Batken and Talas rows as text:
    # "2.553" and "1.444" are potentials, the "0.480" beside them settles the dot
    t = read_table([["", "agro", "textile", "mining"],
                    ["Batken oblast", "2.553", "0.480", "2.895"],
                    ["Talas oblast", "0.028", "1.444", "0.058"]], totals=False)
    assert t.values.loc["Batken oblast"].tolist() == [2.553, 0.48, 2.895]
    assert t.values.loc["Talas oblast"].tolist() == [0.028, 1.444, 0.058]


def test_a_table_with_only_ambiguous_dots_names_the_cell():
    block = udfs.LOCALIZATION([["", "a", "b"], ["Chui", "1.234", "2.345"], ["Talas", "3.456", "4.567"]])
    assert len(block) == 1 and "ambiguous: '1.234'" in block[0][0] and "row 2 'Chui'" in block[0][0]


def test_population_column_settles_its_dots_from_its_own_numbers():
    col = read_pairs([["Регион", "Население"], ["Чуй", "1.234"], ["Талас", "256.5"]], arg="population")
    assert col.values.tolist() == [1.234, 256.5]


# --------------------------------------------------------------------------------------------------
# beyond Excel's numbers


@pytest.mark.parametrize("cell", ["1e400", "-1e400", "1" + "0" * 400, "2e308"])
def test_numbers_beyond_excel_are_refused(cell):
    assert "beyond the largest number Excel holds" in refused(cell)


def test_numbers_below_excel_are_refused_unless_zero():
    assert "below the smallest number Excel holds" in refused("1e-400")
    assert "below the smallest number Excel holds" in refused(1e-320)  # a subnormal float
    assert parse_cell("0e-400") == (0.0, None)


def test_a_400_digit_number_in_a_table_is_a_message_not_an_internal_error():
    block = udfs.LOCALIZATION([["", "a", "b"], ["Chui", "1" + "0" * 400, 5.0], ["Talas", 1, 2]])
    assert all(len(row) == 1 for row in block)  # a message (continued below when over 255 characters)
    text = registry.message_text(block)
    assert "internal error" not in text
    assert "beyond the largest number Excel holds" in text


def test_a_threshold_typed_ambiguously_is_refused_by_name():
    with pytest.raises(InputError, match=r"threshold: expected a number, got ambiguous: '1\.500'"):
        parse_number("1.500", where="threshold")


# --------------------------------------------------------------------------------------------------
# growth on a tiny base


def test_growth_on_a_subnormal_base_is_missing_with_the_reason_not_an_internal_error():
    # base 1e-320 is below Excel's smallest number: the base is missing, its growth #N/A
    block = udfs.DYNAMICS([["", "2015", "2016"], ["a", 1e-320, 5.0], ["b", 1.0, 2.0]], "base", None, None, None, "en")
    assert block[1] == ["a", "#N/A", "#N/A"]
    assert block[2] == ["b", 100.0, 200.0]


def test_growth_beyond_excel_is_missing_and_large_growth_prints_as_excel_writes_it():
    # 5 / 1e-306 * 100 = 5e308 % is beyond Excel's numbers: missing; 5 / 1e-300 * 100 = 5e302 %
    # = 5e300 times is printed as Excel prints such a number, "5.0E+300 times", never 300 digits
    assert udfs.DYNAMICS([["", "2015", "2016"], ["a", 1e-306, 5.0], ["b", 1.0, 3.0]],
                       "base", None, None, None, "en")[1] == ["a", 100.0, "#N/A"]
    printed = udfs.DYNAMICS([["", "2015", "2016"], ["a", 1e-300, 5.0], ["b", 1.0, 3.0]],
                          "printed", None, None, None, "en")
    assert printed[1] == ["a", "100.0%", "5.0E+300 times"]
    assert printed[2] == ["b", "100.0%", "3.0 times"]
    ru = udfs.DYNAMICS([["", "2015", "2016"], ["a", 1e-300, 5.0], ["b", 1.0, 3.0]], "printed", None, None, None, "ru")
    assert ru[1][2] == "в 5,0E+300 раза"
