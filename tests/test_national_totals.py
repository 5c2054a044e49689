"""Issue 11.9 and 11.10: the national total.

11.9: a national grand total of 0 (the table's corner, region_totals, sector_totals, the population or
GRP total, the area) leaves no share to compare with: every coefficient is #N/A and the message says
why; LOCALIZATION_MEAN does not average a base of such #N/A in (today every cell was 0.0, and the mean
halved the other base).

11.10: the national row in the forms yearbooks and ministries print it is a total, never a tenth
region. The forms are collected below (sources in the comments) and tested as a class.

Worked example (regions x sectors; national row 4, 4; so x_i = 4, 4 and x = 8):

              a    b    x_r
    Chui      1    3    4        Kl: a (1/4)/(4/8) = 0.5    b (3/4)/(4/8) = 1.5
    Talas     3    1    4            a (3/4)/(4/8) = 1.5    b (1/4)/(4/8) = 0.5
"""

import pytest

from xlkg.core import measures
from xlkg.core.cells import is_total_label, read_pairs, read_table
from xlkg.excel import udfs

TABLE = [["", "a", "b"], ["Chui", 1.0, 3.0], ["Talas", 3.0, 1.0]]
LQ = {"Chui": [0.5, 1.5], "Talas": [1.5, 0.5]}


def _message(block) -> str:
    assert len(block) == 1 and len(block[0]) == 1, f"expected a one-cell message, got {block}"
    assert "internal error" not in block[0][0]
    return block[0][0]


# --------------------------------------------------------------------------------------------------
# 11.9 a national total of 0


def test_a_zero_corner_cell_gives_na_with_the_reason():
    rows = [["", "a", "b", "Всего"], ["Chui", 1, 3, 4], ["Talas", 3, 1, 4], ["Кыргыз Республикасы", 4, 4, 0]]
    assert "grand total is 0" in _message(udfs.LOCALIZATION(rows))


def test_a_zero_national_row_in_region_totals_gives_na():
    region_totals = [["Регион", "Всего"], ["Chui", 4], ["Talas", 4], ["Кыргыз Республикасы", 0]]
    assert "grand total is 0" in _message(udfs.LOCALIZATION(TABLE, region_totals))


def test_a_zero_national_row_in_sector_totals_gives_na():
    sector_totals = [["Отрасль", "Всего"], ["a", 4], ["b", 4], ["Итого", 0]]
    assert "grand total is 0" in _message(udfs.LOCALIZATION(TABLE, None, sector_totals))


def test_a_zero_grand_total_in_python_gives_nan_with_the_reason():
    import pandas as pd

    x = pd.DataFrame([[1.0, 3.0], [3.0, 1.0]], index=["Chui", "Talas"], columns=["a", "b"])
    r = measures.localization(x, grand_total=0)
    assert r.values.isna().all().all()
    assert set(r.reasons.to_numpy().ravel()) == {"division by zero: grand total is 0"}


def test_a_zero_total_population_gives_na():
    population = [["Регион", "Население"], ["Chui", 100], ["Talas", 300], ["Кыргыз Республикасы", 0]]
    assert "total population is 0" in _message(udfs.PER_CAPITA(TABLE, population))


def test_a_zero_gdp_gives_na():
    grp = [["Регион", "ВРП"], ["Chui", 100], ["Talas", 300], ["Total", 0]]
    assert "Y is 0" in _message(udfs.SPECIALIZATION(TABLE, grp))


def test_a_zero_total_area_gives_na():
    area = [["Регион", "Площадь"], ["Chui", 20], ["Talas", 11], ["Всего", 0]]
    population = [["Регион", "Население"], ["Chui", 100], ["Talas", 300]]
    firms = [["", "a", "b"], ["Chui", 1, 1], ["Talas", 1, 1]]
    assert "total area or population is 0" in _message(udfs.LITZENBERGER(TABLE, area, population, firms))


def test_localization_mean_does_not_average_a_zero_total_base_in():
    # base 1 alone gives LQ above; base 2 has a corner of 0. Today the mean was (0.5 + 0)/2 = 0.25.
    base2 = [["", "a", "b", "Всего"], ["Chui", 1, 3, 4], ["Talas", 3, 1, 4], ["Кыргыз Республикасы", 4, 4, 0]]
    text = _message(udfs.LOCALIZATION_MEAN(TABLE, base2))
    assert "base 2" in text and "grand total is 0" in text


# --------------------------------------------------------------------------------------------------
# 11.10 the national row in its usual forms

NATIONAL_FORMS = [
    # Kyrgyz: statistical yearbooks ("Кыргыз Республикасынын статистикалык жылдык китеби") and ministries
    "Кыргыз Республикасы", "Кыргыз Республикасы боюнча", "Кыргыз Республикасы боюнча¹", "Кыргыз Республикасы*",
    "Республика боюнча", "Республика боюнча бардыгы", "Бардыгы", "Бардыгы:", "Баары", "Жыйынтыгы", "Жалпы",
    "Жалпы республика боюнча", "КР боюнча", "Кыргыз Респ.",
    "Жалпысынан республика боюнча",  # the seed's own wording (its section 4)
    "Бардыгы Кыргыз Республикасы боюнча", "Республика бою\u00adнча",  # a soft hyphen from a PDF copy
    # Russian: the yearbook's "Кыргызская Республика", footnote marks, "всего"/"итого" with and without
    # "по республике", abbreviations
    "Кыргызская Республика", "Кыргызская Республика 1)", "Кыргызская Республика²", "По Кыргызской Республике",
    "По республике", "Всего по республике", "Всего по Кыргызской Республике", "Всего по КР", "Итого", "Итого:",
    "ИТОГО", "Всего", "ВСЕГО¹", "Республика в целом", "В целом по республике", "Кырг. Респ.", "Кыргызстан",
    "Итого по республике",
    # English editions ("Kyrgyz Republic" in the English yearbook) and translated ministry tables
    "Kyrgyz Republic", "Kyrgyz Rep.", "Total", "Total:", "Grand total", "Republic total",
    "Total for the Kyrgyz Republic", "Kyrgyz Republic, total", "Total Kyrgyz Republic", "Country total",
    "National total", "All regions",
    # the three languages in one label (the label columns of a statistics committee table read together)
    "Кыргыз Республикасы / Кыргызская Республика / Kyrgyz Republic",
]

NOT_NATIONAL = ["Mining, total", "Өнөр жай, бардыгы", "Иштеп чыгаруучу өнөр жай, бардыгы", "Чүй облусу",
                "Бишкек ш.", "Republic of Korea", "Кыргыз", "Промышленность всего"]


@pytest.mark.parametrize("form", NATIONAL_FORMS)
def test_national_row_forms_are_totals(form):
    assert is_total_label(form)


@pytest.mark.parametrize("label", NOT_NATIONAL)
def test_section_totals_and_regions_are_not_national_totals(label):
    assert not is_total_label(label)


@pytest.mark.parametrize("form", NATIONAL_FORMS)
def test_a_national_row_in_any_form_is_not_a_tenth_region(form):
    block = udfs.LOCALIZATION(TABLE + [[form, 4.0, 4.0]])
    assert [r[0] for r in block[1:]] == ["Chui", "Talas"]
    for row in block[1:]:
        assert row[1:] == pytest.approx(LQ[row[0]], rel=1e-12)


@pytest.mark.parametrize("form", ["Кыргыз Республикасы боюнча", "Всего по КР", "Kyrgyz Republic, total"])
def test_a_national_row_in_population_is_the_total(form):
    col = read_pairs([["Регион", "Население"], ["Chui", 100], ["Talas", 300], [form, 7000]], arg="population")
    assert col.total == 7000 and list(col.values.index) == ["Chui", "Talas"]


@pytest.mark.parametrize("form", ["Кыргыз Республикасы боюнча", "Республика боюнча бардыгы", "Total:"])
def test_a_national_row_is_left_out_of_the_rating(form):
    # ratio scores: Chui (10/20 + 1/2)/2 = 0.5, Talas (20/20 + 2/2)/2 = 1; the national row is no region
    block = udfs.REGION_RATING([["", "P", "Q"], ["Chui", 10, 1], ["Talas", 20, 2], [form, 30, 3]])
    assert block[1:] == [["Chui", 0.5, 2.0], ["Talas", 1.0, 1.0]]


def test_a_national_row_read_from_a_table_is_its_sector_totals():
    t = read_table(TABLE + [["Кыргыз Республикасы боюнча¹", 4.0, 4.0]])
    assert t.col_totals.to_dict() == {"a": 4.0, "b": 4.0}
