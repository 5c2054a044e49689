"""Issue 11.11: the shape of a table is checked, never guessed.

* A range that starts below its header row makes the first region's numbers "sectors" (and the total
  column a sector called "11200"): refused with a message saying so.
* A rating table turned sideways (regions across) is turned back when the labels say so (regions
  across, none down), with a note; a table whose header row and first column both name regions is
  refused. The same for periods: a DYNAMICS table with the years down is turned.

Worked example (ratio scores, both indicators more-is-better):

              P    Q       scores                         R       rank
    Chui     10    1       10/20 = 0.5    1/4 = 0.25      0.375   3
    Talas    20    2       20/20 = 1      2/4 = 0.5       0.75    1
    Naryn     5    4        5/20 = 0.25   4/4 = 1         0.625   2
"""

import pytest

from xlkg.core.cells import read_table
from xlkg.core.result import InputError
from xlkg.excel import registry, udfs

UPRIGHT = [["", "P", "Q"], ["Chui", 10, 1], ["Talas", 20, 2], ["Naryn", 5, 4]]
SIDEWAYS = [["Indicator", "Chui", "Talas", "Naryn"], ["P", 10, 20, 5], ["Q", 1, 2, 4]]
EXPECTED = [["Регион", "Балл", "Место"], ["Chui", 0.375, 3.0], ["Talas", 0.75, 1.0], ["Naryn", 0.625, 2.0]]


def _message(block) -> str:
    # one cell, or one column when longer than the 255 characters of a returned cell
    assert all(len(row) == 1 for row in block), f"expected a one-column message, got {block}"
    return registry.message_text(block)


def test_upright_rating_as_worked():
    assert udfs.REGION_RATING(UPRIGHT) == EXPECTED


def test_a_rating_table_turned_sideways_is_turned_back():
    assert udfs.REGION_RATING(SIDEWAYS) == EXPECTED
    t = read_table(SIDEWAYS, arg="indicators")
    assert any("read turned" in n for n in t.notes)


def test_sideways_with_kyrgyz_names_and_a_national_column():
    rows = [["Көрсөткүч", "Чүй облусу", "Талас облусу", "Нарын облусу", "Кыргыз Республикасы"],
            ["P", 10, 20, 5, 35], ["Q", 1, 2, 4, 7]]
    block = udfs.REGION_RATING(rows)
    assert block[1:] == [["Чүй облусу", 0.375, 3.0], ["Талас облусу", 0.75, 1.0], ["Нарын облусу", 0.625, 2.0]]


def test_regions_both_across_and_down_are_refused():
    rows = [["", "Chui", "Talas"], ["Naryn", 1, 2], ["Talas", 3, 4]]
    text = _message(udfs.REGION_RATING(rows))
    assert "both the header row ('Chui') and the first column ('Naryn') name regions" in text


def test_a_range_starting_below_its_header_is_refused():
    # the test_udf_ministry output table without its header row: "600,0" would become a sector
    rows = [["Баткен облусу", "600,0", "-", 400.0, "1 000"],
            ["Чүй облусу", "1 000", 3000.0, "1 000,0", 5000.0],
            ["Ош облусу", 400.0, "2 000", "–", "2 400,0"]]
    text = _message(udfs.LOCALIZATION(rows))
    assert "the range seems to start below its header row" in text and "Баткен облусу" in text


def test_a_range_starting_below_its_header_with_unknown_region_names_and_decimals_is_refused():
    with pytest.raises(InputError, match="start below its header row"):
        read_table([["Region A", 12.5, 3.0], ["Region B", 1.0, 2.0]])


def test_numeric_sector_codes_as_headers_are_still_a_header():
    # a header of division codes (10, 11, ...) under a word in the corner is a header, not data
    t = read_table([["Регион", 10, 11], ["Chui", 1, 2], ["Talas", 3, 4]])
    assert list(t.values.columns) == ["10", "11"]


def test_growth_with_the_years_down_is_turned():
    # items across, years down: a: 10 -> 15 = 150 %, b: 4 -> 2 = 50 %
    rows = [["Год", "a", "b"], ["2020 г.", 10, 4], ["2021 г.", 15, 2]]
    block = udfs.DYNAMICS(rows, "base", None, None, None, "en")
    assert block == [["Dynamics", "2020", "2021"], ["a", 100.0, 150.0], ["b", 100.0, 50.0]]
