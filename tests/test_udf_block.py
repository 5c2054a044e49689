"""The one conversion every worksheet-function result passes (registry.excel_block): what each host
receives. Examples worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from xlkg.excel import registry


def test_missing_values_become_na_and_numbers_floats():
    block = registry.excel_block([["h", "a"], ["r", None], ["s", math.nan], ["t", np.float64(2.5)],
                                  ["u", np.True_], ["v", pd.NA], ["w", math.inf], ["x", 3]])
    assert [row[1] for row in block] == ["a", "#N/A", "#N/A", 2.5, True, "#N/A", "#N/A", 3.0]
    assert isinstance(block[-1][1], float)


def test_a_row_of_a_label_and_floats_is_checked_as_a_whole_row_is_cell_by_cell():
    # the usual result row (a label, then floats) is recognised whole; a row with anything else in it is
    # converted cell by cell, and both give what test_missing_values_become_na_and_numbers_floats states
    block = registry.excel_block([
        ["h", "a", "b", "c"],
        ["plain", 1.0, -2.5, 0.0],
        ["nan", 1.0, math.nan, 2.0],
        ["inf", -math.inf, 1.0, 2.0],
        ["numpy", 1.0, np.float64(2.5), 3.0],
        ["bool", 1.0, True, 3.0],
        ["huge", 1e308, 1e308, 1.0],  # every cell finite although their sum is not: numbers kept
        ["short", 1.0],
    ])
    assert block == [["h", "a", "b", "c"], ["plain", 1.0, -2.5, 0.0], ["nan", 1.0, "#N/A", 2.0],
                     ["inf", "#N/A", 1.0, 2.0], ["numpy", 1.0, 2.5, 3.0], ["bool", 1.0, True, 3.0],
                     ["huge", 1e308, 1e308, 1.0], ["short", 1.0, "", ""]]
    assert type(block[4][2]) is float
    long_label = "r" * 256  # a row label longer than a cell continues below its row as any text does
    block = registry.excel_block([["h", "a"], [long_label, 1.0]])
    assert block == [["h", "a"], ["r" * 254 + "…", 1.0], ["rr", ""]]
    # the same rows 20 cells wide (wide rows are recognised whole): 1.0 repeated, the odd cell at the end
    head = ["h"] + [f"c{j}" for j in range(20)]
    ones = [1.0] * 19
    block = registry.excel_block([head, ["plain"] + ones + [0.0], ["nan"] + ones + [math.nan],
                                  ["inf"] + ones + [math.inf], ["numpy"] + ones + [np.float64(2.5)],
                                  ["bool"] + ones + [True], ["huge"] + [1e308] * 20, [long_label] + ones + [2.0]])
    assert block == [head, ["plain"] + ones + [0.0], ["nan"] + ones + ["#N/A"], ["inf"] + ones + ["#N/A"],
                     ["numpy"] + ones + [2.5], ["bool"] + ones + [True], ["huge"] + [1e308] * 20,
                     ["r" * 254 + "…"] + ones + [2.0], ["rr"] + [""] * 20]
    assert type(block[4][-1]) is float


def test_a_long_text_continues_below_its_row():
    # 52 words of 9 characters + a space = 520 characters: cut at spaces into parts of at most 255,
    # each but the last ending with " …"
    text = " ".join(["abcdefghi"] * 52)
    assert len(text) == 519
    parts = registry.split_text(text)
    assert [len(p) for p in parts] == [251, 251, 19]  # 25 words (249) + " …"; again; the last 2 words (19)
    assert parts[0].endswith(" …") and parts[1].endswith(" …") and not parts[2].endswith("…")
    block = registry.excel_block([["name", "note", "value"], ["a", text, 1.0], ["b", "short", 2.0]])
    assert block == [["name", "note", "value"], ["a", parts[0], 1.0], ["", parts[1], ""], ["", parts[2], ""],
                     ["b", "short", 2.0]]
    assert registry.message_text([[p] for p in parts]) == text


def test_a_word_longer_than_a_cell_is_cut_inside_it():
    word = "x" * 300
    parts = registry.split_text(word)
    assert [len(p) for p in parts] == [255, 46]  # 254 letters + "…", then the other 46
    assert parts[0].endswith("x…")
    assert registry.message_text([[p] for p in parts]) == word


def test_ragged_rows_are_padded_and_nothing_is_over_255():
    block = registry.excel_block([["a"], ["b", "c" * 256]])
    assert all(len(r) == 2 for r in block)
    assert max(len(c) for r in block for c in r if isinstance(c, str)) <= 255


def test_returned_error_texts_are_excels_seven():
    assert registry.RETURNED_ERRORS == ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


def test_blocks_of_tables_with_totals_leave_the_totals_out():
    # docs/excel-windows.md, step 7 (the array range of Excel 2019 and older): a 6 x 5 table (4 regions,
    # 3 sectors, a national-total row, a total column) gives a 5 x 4 block in each of these functions
    from xlkg.excel import udfs

    tt = [["Регион", "S1", "S2", "S3", "Бардыгы"], ["A", 120, 30, 50, 200], ["B", 40, 80, 20, 140],
          ["C", 10, 10, 90, 110], ["D", 30, 60, 60, 150], ["Кыргыз Республикасы", 200, 180, 220, 600]]
    pop = [["Регион", "Калк"], ["A", 10], ["B", 7], ["C", 5], ["D", 20], ["Кыргыз Республикасы", 42]]
    area = [["Регион", "km2"], ["A", 4], ["B", 2], ["C", 5], ["D", 1], ["Кыргыз Республикасы", 12]]
    for block in (udfs.LOCALIZATION(tt), udfs.PER_CAPITA(tt, pop), udfs.SPECIALIZATION(tt, pop), udfs.ECO_STARS(tt),
                  udfs.LITZENBERGER(tt, area, pop, tt), udfs.STRONG_CLUSTER(tt, tt)):
        assert (len(block), len(block[0])) == (5, 4), block[0]
        assert [r[0] for r in block[1:]] == ["A", "B", "C", "D"] and block[0][1:] == ["S1", "S2", "S3"]
