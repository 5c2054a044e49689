"""The bundled data: one loader, found through the package (never the working folder), the glossary,
and the one illustrative-data notice."""

import csv

import pytest

from conftest import PACKAGE_DATA
from xlkg import data
from xlkg.core import regions


def test_the_loader_reads_through_the_package_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a working folder without any data
    (tmp_path / "glossary.csv").write_text("key,ky,ru,en\nregion.chui,x,y,z\n", encoding="utf-8")
    rows = data.rows("seed_table_2_1_gross_output.csv")
    with open(PACKAGE_DATA / "seed_table_2_1_gross_output.csv", encoding="utf-8") as f:
        assert rows == list(csv.DictReader(f))  # the file as csv reads it, row for row
    assert data.glossary()["region.chui"]["ru"] != "y"  # not the working folder's glossary.csv
    assert list(data.frame("rating_indicators.csv").columns)[:2] == ["key", "group"]
    assert data.path("real/REAT_G.regions.emp.csv").is_file()


def test_the_glossary_is_the_terms():
    assert regions.term("region.chui", "ru") == data.glossary()["region.chui"]["ru"]
    assert set(data.glossary()["region.chui"]) == {"ky", "ru", "en"}


def test_one_illustrative_notice_in_three_languages():
    both = data.illustrative_notice()
    ky, ru, en = both.split(" / ")
    assert ky.startswith("Көрсөтмө маалыматтар:") and ru.startswith("Иллюстративные данные:")
    assert en == "Illustrative data: the figures are made up (for the example), not official statistics."
    # with the one real figure of the illustrative regional data: seed Table 2.1, industry total 2019
    assert data.illustrative_notice("en", real_total=True).endswith("(283 971.7 mln som, 2019) is real.")
    assert data.illustrative_notice("ru", real_total=True).endswith("(283 971,7 млн сомов, 2019).")
    assert data.INDUSTRY_TOTAL_2019 == 283971.7


@pytest.mark.parametrize("module, name", [("xlkg.demo.run", "ILLUSTRATIVE"), ("xlkg.demo.sample", "ILLUSTRATIVE"),
                                          ("xlkg.scorecard.layout", "ILLUSTRATIVE")])
def test_every_place_shows_the_one_notice(module, name):
    import importlib

    shown = getattr(importlib.import_module(module), name)
    texts = shown.values() if isinstance(shown, dict) else shown.split(" / ")
    assert sorted(t[:12] for t in texts) == sorted(t[:12] for t in data.ILLUSTRATIVE.values())
