"""The regions of the Kyrgyz Republic in Kyrgyz, Russian and English, and matching names across them.

Ministry tables name the same region in many ways: "Чүй облусу", "Чуйская область", "Чуй", "Chui",
"Chuy oblast". `region_key` reduces a name to a catalogue key ("region.chui"). Rules:

* case, "ё"/"е", hyphens, dots and the words for "oblast"/"region" (облусу, область, обл., oblast,
  region, province) do not matter;
* the words for "city" (ш., шаары, г., город, city) do: "г. Ош" is Osh city, "Ошская область" and
  "Ош облусу" are Osh oblast, and a bare "Ош"/"Osh" is ambiguous, so it is not matched;
* a city named like an oblast ("г. Нарын", "Talas city") is a town, not the oblast: not matched;
* a name that is not in the catalogue is kept as given and matched only to itself (exactly, ignoring
  case and spacing), so other countries' data work too and nothing is silently merged.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from xlkg.core.checks import check_lang
from xlkg.core.result import InputError
from xlkg.data import LANGS, glossary

_OBLAST_WORDS = {"облусу", "облус", "обл", "область", "области", "oblast", "oblasty", "oblys", "region",
                 "province", "обласы"}
_CITY_WORDS = {"ш", "шаары", "шаар", "г", "гор", "город", "city", "c", "gorod", "шаарі"}

# Spelling stems (letters only, lower case, ё->е) per key. Oblast stems accept an oblast word or none;
# Osh needs a kind word; Bishkek is a city whatever the words.
_OBLAST_STEMS = {
    "region.batken": {"баткен", "баткенская", "batken"},
    "region.jalal_abad": {"жалалабад", "жалалабадская", "джалалабад", "джалалабадская", "jalalabad",
                          "jalalabat", "dzhalalabad", "djalalabad", "zhalalabad"},
    "region.issyk_kul": {"ысыккол", "ысыккөл", "ыссыккөл", "иссыккуль", "иссыккульская", "issykkul",
                         "issykkol", "ysykkol", "ysykköl", "issyk"},
    "region.naryn": {"нарын", "нарынская", "naryn"},
    "region.talas": {"талас", "таласская", "talas"},
    "region.chui": {"чүй", "чуй", "чуйская", "chui", "chuy", "chu", "chuiskaya"},
}
_OSH_STEMS = {"ош", "osh"}
_OSH_OBLAST_ONLY = {"ошская"}
_BISHKEK_STEMS = {"бишкек", "bishkek"}

KEYS = ("region.batken", "region.jalal_abad", "region.issyk_kul", "region.naryn", "region.osh_oblast",
        "region.talas", "region.chui", "region.bishkek", "region.osh_city")


def term(key: str, lang: str = "en") -> str:
    """A glossary term in one language ("ky", "ru", "en"); unknown languages are an InputError."""
    return glossary()[key][check_lang(lang)]


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_PARTS = re.compile(r"\s*(?:/|\||\n|\r)\s*")
_FOOTNOTE_MARKS = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰*)]+")


def _tokens(name: str) -> list[str]:
    # Footnote marks ("Ош облусу¹", "Chui*") do not change which region a label names.
    # soft hyphens and zero-width characters (labels copied from PDFs) are not there for a reader
    text = _FOOTNOTE_MARKS.sub(" ", str(name).translate(_INVISIBLE).lower().replace("ё", "е"))
    return re.findall(r"[^\W\d_]+", text)


def _is_bare_osh(name) -> bool:
    """"Ош" / "Osh" without a word for city or oblast: it names either region, so it is not matched."""
    return isinstance(name, str) and "".join(_tokens(name)) in _OSH_STEMS


@lru_cache(maxsize=1 << 16)  # a miss costs one tokenisation and a look-up: no cliff past the bound
def region_key(name) -> str | None:
    """The catalogue key of a Kyrgyz region name in any of its spellings, or None if not recognised."""
    if not isinstance(name, str) or not name.strip():
        return None
    if _PARTS.search(name):
        # one label in several languages ("Баткен облусу / Баткенская область / Batken oblast"): the
        # region its parts agree on
        keys = {region_key(p) for p in _PARTS.split(name) if p.strip()} - {None}
        return keys.pop() if len(keys) == 1 else None
    tokens = _tokens(name)
    is_city = any(t in _CITY_WORDS for t in tokens)
    is_oblast = any(t in _OBLAST_WORDS for t in tokens)
    stem = "".join(t for t in tokens if t not in _CITY_WORDS and t not in _OBLAST_WORDS)
    if not stem:
        return None
    if stem in _BISHKEK_STEMS:
        return None if is_oblast else "region.bishkek"
    if stem in _OSH_OBLAST_ONLY:
        return None if is_city else "region.osh_oblast"
    if stem in _OSH_STEMS:
        if is_city == is_oblast:  # neither word (ambiguous) or both (contradictory)
            return None
        return "region.osh_city" if is_city else "region.osh_oblast"
    for key, stems in _OBLAST_STEMS.items():
        if stem in stems:
            return None if is_city else key
    # The glossary's own names, in case a spelling above was missed (one look-up in an index built once).
    return _glossary_index().get(tuple(tokens))


@lru_cache(maxsize=1)
def _glossary_index() -> dict[tuple[str, ...], str]:
    """The tokens of every region's glossary name (ky, ru, en) -> its key; built once."""
    index: dict[tuple[str, ...], str] = {}
    for key in KEYS:
        for lang in LANGS:
            index.setdefault(tuple(_tokens(glossary()[key][lang])), key)
    return index


def region_name(key: str, lang: str = "en") -> str:
    """The glossary name of a region key in one language."""
    return term(key, lang)


def match_key(label) -> str:
    """The key two labels are matched by: the region key, else the label itself (case and spaces folded)."""
    key = region_key(label)
    return key if key is not None else "label:" + " ".join(str(label).split()).casefold()


def align(target_index, series: pd.Series, *, arg: str, target_arg: str = "values") -> pd.Series:
    """`series` reindexed to `target_index`, matching region names across languages and spellings.

    Raises InputError naming every label of `target_index` that `series` lacks, and any two labels of
    `series` that name the same region. Labels of `series` that `target_index` does not use are ignored.
    """
    by_key: dict[str, object] = {}
    for label in series.index:
        k = match_key(label)
        if k in by_key:
            raise InputError(f"{arg}: '{by_key[k]}' and '{label}' name the same region; keep one")
        by_key[k] = label
    picks, unmatched = [], []
    for label in target_index:
        source = by_key.get(match_key(label))
        if source is None:
            unmatched.append(str(label))
        picks.append(source)
    if unmatched:
        available = ", ".join(f"'{x}'" for x in series.index)
        osh = [x for x in list(unmatched) + [str(x) for x in series.index] if _is_bare_osh(x)]
        hint = (f"; '{osh[0]}' may be Osh city or Osh oblast: write 'Ош шаары' (г. Ош) or 'Ош облусу' "
                "(Ошская область)") if osh else ""
        raise InputError(
            f"{arg} has no value for " + ", ".join(f"'{x}'" for x in unmatched)
            + f" of {target_arg}; {arg} has: {available}{hint}"
        )
    out = pd.Series(series.loc[picks].to_numpy(), index=target_index, name=series.name)
    return out
