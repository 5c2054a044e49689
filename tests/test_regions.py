"""Region names in Kyrgyz, Russian, English and common spellings (glossary.csv and the issue's list)."""

import pandas as pd
import pytest

from xlkg.core.regions import KEYS, LANGS, align, region_key, region_name
from xlkg.core.result import InputError


def _glossary_regions():
    """The region rows of xlkg/data/glossary.csv, read here without xlkg: {key: {lang: name}}."""
    import csv

    from conftest import PACKAGE_DATA

    with open(PACKAGE_DATA / "glossary.csv", encoding="utf-8") as f:
        return {r["key"]: {lang: r[lang] for lang in ("ky", "ru", "en")}
                for r in csv.DictReader(f) if r["key"].startswith("region.")}


GLOSSARY_REGIONS = _glossary_regions()


def test_the_nine_regions_of_the_glossary():
    # 7 oblasts and the cities of Bishkek and Osh
    assert len(GLOSSARY_REGIONS) == 9 and set(KEYS) == set(GLOSSARY_REGIONS)
    assert set(LANGS) == {"ky", "ru", "en"}


@pytest.mark.parametrize("key", sorted(GLOSSARY_REGIONS))
@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_every_glossary_name_matches_its_key(key, lang):
    name = GLOSSARY_REGIONS[key][lang]
    assert region_key(name) == key
    assert region_name(key, lang) == name


@pytest.mark.parametrize(
    "name, key",
    [
        ("Чүй", "region.chui"), ("Чуй", "region.chui"), ("Чуйская область", "region.chui"),
        ("Chui", "region.chui"), ("Chuy", "region.chui"),
        ("Ысык-Көл", "region.issyk_kul"), ("Иссык-Куль", "region.issyk_kul"), ("Issyk-Kul", "region.issyk_kul"),
        ("Жалал-Абад", "region.jalal_abad"), ("Джалал-Абад", "region.jalal_abad"), ("Jalal-Abad", "region.jalal_abad"),
        ("г. Ош", "region.osh_city"), ("Ош ш.", "region.osh_city"), ("Osh city", "region.osh_city"),
        ("Ошская область", "region.osh_oblast"), ("Ош облусу", "region.osh_oblast"), ("Osh oblast", "region.osh_oblast"),
        ("Бишкек", "region.bishkek"), ("г. Бишкек", "region.bishkek"), ("Bishkek city", "region.bishkek"),
        ("Нарынская обл.", "region.naryn"), ("ТАЛАС ОБЛУСУ", "region.talas"),
    ],
)
def test_common_spellings(name, key):
    assert region_key(name) == key


@pytest.mark.parametrize("name", ["Ош", "Osh", "г. Нарын", "Bavaria", "", None])
def test_ambiguous_or_unknown_names_are_not_matched(name):
    assert region_key(name) is None


def test_align_across_languages_and_keeps_unknown_names():
    population = pd.Series([900.0, 300.0, 13000.0], index=["Chui", "г. Ош", "Bavaria"])
    out = align(pd.Index(["Чүй облусу", "Ош ш.", "bavaria"]), population, arg="population")
    assert out.tolist() == [900.0, 300.0, 13000.0]
    assert list(out.index) == ["Чүй облусу", "Ош ш.", "bavaria"]


def test_align_names_missing_regions():
    population = pd.Series([900.0], index=["Chui"])
    with pytest.raises(InputError, match="population has no value for 'Нарын облусу' of values"):
        align(pd.Index(["Чүй облусу", "Нарын облусу"]), population, arg="population")


def test_align_refuses_two_names_of_one_region():
    population = pd.Series([1.0, 2.0], index=["Chui", "Чуйская область"])
    with pytest.raises(InputError, match="'Chui' and 'Чуйская область' name the same region"):
        align(pd.Index(["Chui"]), population, arg="population")


@pytest.mark.parametrize("name, key", [("Ош облусу¹", "region.osh_oblast"), ("Чуйская область*", "region.chui"),
                                       ("Бишкек ш.²", "region.bishkek")])
def test_footnote_marks_do_not_hide_a_region(name, key):
    assert region_key(name) == key
