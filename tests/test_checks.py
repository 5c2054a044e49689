"""The shared checks of xlkg.core.checks (each exists once; measures, dynamics, peers, the rating, the
regions and the worksheet functions use them)."""

import pytest

from xlkg import xlsx
from xlkg.core import cells, checks, dynamics, measures, regions
from xlkg.core.rating import options
from xlkg.core.result import InputError


def test_one_list_of_excel_errors():
    # Excel's 15 error values (the seven classic ones and the dynamic-array / data-type ones)
    assert len(checks.EXCEL_ERRORS) == len(set(checks.EXCEL_ERRORS)) == 15
    assert {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"} <= set(checks.EXCEL_ERRORS)
    assert xlsx.EXCEL_ERRORS is checks.EXCEL_ERRORS
    assert cells.ERROR_VALUES == frozenset(checks.EXCEL_ERRORS)


def test_labels_in_messages():
    assert checks.fmt_labels(["a", 2]) == "'a', '2'"
    # seven labels: the first five, then how many more
    assert checks.fmt_labels("abcdefg") == "'a', 'b', 'c', 'd', 'e' and 2 more"


@pytest.mark.parametrize("typed, expected", [
    ("Industry total", "industry_total"), ("INDUSTRY-TOTAL", "industry_total"), ("  grp ", "grp"),
    ("mean", "arithmetic"),  # an alias
])
def test_method_names(typed, expected):
    got = checks.check_method(typed, ("grp", "industry_total", "arithmetic"), aliases={"mean": "arithmetic"})
    assert got == expected


def test_unknown_method_names_the_choices():
    with pytest.raises(InputError, match=r"^method: 'topsis' is not a known method; choose one of grp, ratio$"):
        checks.check_method("topsis", ("grp", "ratio"))
    with pytest.raises(InputError, match=r"^reference: expected the name of a known method, got 3;"):
        checks.check_method(3, ("country", "rest"), arg="reference")


def test_the_modules_read_method_names_alike():
    # the rating's aliases and the measures' names through the one parser: "Min-Max" = "min max" = "minmax"
    assert options.parse_method("Min-Max") == options.parse_method("min_max") == "minmax"
    assert options.parse_aggregation("Geometric Mean") == "geometric"
    assert measures.check_method is checks.check_method


@pytest.mark.parametrize("typed, code", [("ky", "ky"), (" RU ", "ru"), ("En", "en")])
def test_languages(typed, code):
    assert checks.check_lang(typed) == code


@pytest.mark.parametrize("call", [lambda: checks.check_lang("de"), lambda: regions.term("region.chui", "de"),
                                  lambda: dynamics.format_number(1.0, "de"), lambda: checks.check_lang(None)])
def test_an_unknown_language_is_one_message(call):
    with pytest.raises(InputError, match=r'^lang: expected "ky", "ru" or "en", got "(de|None)"$'):
        call()
