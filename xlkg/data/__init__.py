"""The data bundled with xlkg (see README.md in this folder), read through the package, never the
working folder: the one loader (`path`, `rows`, `frame`), the trilingual glossary, the facts of the
illustrative regional data, and the one notice that marks illustrative data wherever it is shown.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

LANGS = ("ky", "ru", "en")

# The illustrative regional data (illustrative_regional_industry.csv, illustrative_regions.csv): its
# priority sectors in column order, and the one real figure in it.
SECTORS = ("mining", "food_processing", "building_materials", "coke_refined_petroleum", "light_industry",
           "electricity")
INDUSTRY_TOTAL_2019 = 283971.7  # seed Table 2.1, industry total 2019 (real)

# The one notice on every sheet (or cell) that shows made-up data: the illustrative regional data of the
# demo and the sample workbook, and the scorecard's example cluster.
ILLUSTRATIVE = {
    "ky": "Көрсөтмө маалыматтар: сандар шарттуу (мисал үчүн), расмий статистика эмес.",
    "ru": "Иллюстративные данные: цифры условные (для примера), это не официальная статистика.",
    "en": "Illustrative data: the figures are made up (for the example), not official statistics.",
}
# Added to it where the illustrative regional data are shown: the one real figure among them.
REAL_TOTAL = {
    "ky": "Өнөр жайдын улуттук жыйынтыгы гана (283 971,7 млн сом, 2019) чыныгы.",
    "ru": "Реален только национальный итог промышленности (283 971,7 млн сомов, 2019).",
    "en": "Only the national total of industry (283 971.7 mln som, 2019) is real.",
}


def illustrative_notice(lang: str | None = None, *, real_total: bool = False) -> str:
    """The illustrative-data notice in one language ("ky", "ru", "en"), or with `lang` None in all three,
    joined by " / " (Kyrgyz first). `real_total` adds that the national total of industry is real."""
    if lang is None:
        return " / ".join(illustrative_notice(code, real_total=real_total) for code in LANGS)
    return ILLUSTRATIVE[lang] + (" " + REAL_TOTAL[lang] if real_total else "")


def path(name: str):
    """A bundled file (a Traversable: `.open()`, `.read_text()`), e.g. path("glossary.csv")."""
    return resources.files(__name__).joinpath(*name.split("/"))


def rows(name: str) -> list[dict]:
    """The rows of a bundled CSV file, as dicts of text by column name."""
    with path(name).open("r", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def frame(name: str):
    """A bundled CSV file as a pandas DataFrame of text (empty cells stay "", nothing is parsed)."""
    import pandas as pd

    with path(name).open("r", encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def glossary() -> dict[str, dict[str, str]]:
    """The trilingual glossary (glossary.csv): key -> {"ky": ..., "ru": ..., "en": ...}."""
    return {row["key"]: {lang: row[lang] for lang in LANGS} for row in rows("glossary.csv")}
