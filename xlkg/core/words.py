"""Option words in Kyrgyz and Russian as well as English ("геометрическое", "нөл", "цепной").

A worksheet function's text option (a method, a view, what a dash means) is matched in English by
the function that takes it; `translate` first turns the words a Kyrgyz- or Russian-speaking economist
types into that English word, per kind of option, so that every function accepts the same words.
Case, "ё"/"е", hyphens, underscores and spaces do not matter ("Среднее-геометрическое" =
"среднее геометрическое"). An unknown word is returned as it was typed, for the caller's own message.
"""

from __future__ import annotations

import re

__all__ = ["option_key", "translate", "WORDS"]


def option_key(text) -> str:
    """How an option word is compared: lower case, "ё" as "е", "-" "_" "." and spaces alike."""
    t = str(text).replace("ё", "е").replace("Ё", "Е").lower()
    return " ".join(re.sub(r"[-_.]+", " ", t).split())


_MEANS = {
    # arithmetic mean
    "арифметическое": "arithmetic", "арифметическая": "arithmetic", "арифметический": "arithmetic",
    "среднее арифметическое": "arithmetic", "арифметическое среднее": "arithmetic",
    "средняя арифметическая": "arithmetic", "арифметикалык": "arithmetic", "арифметикалык орточо": "arithmetic",
    "орточо арифметикалык": "arithmetic", "среднее": "mean", "средняя": "mean", "орточо": "mean",
    # geometric mean
    "геометрическое": "geometric", "геометрическая": "geometric", "геометрический": "geometric",
    "среднее геометрическое": "geometric", "геометрическое среднее": "geometric",
    "средняя геометрическая": "geometric", "геометриялык": "geometric", "геометриялык орточо": "geometric",
    "орточо геометриялык": "geometric",
    # product, weighted mean
    "произведение": "product", "көбөйтүндү": "product", "кобойтунду": "product",
    "взвешенное": "weighted", "взвешенная": "weighted", "взвешенное среднее": "weighted",
    "средневзвешенное": "weighted", "среднее взвешенное": "weighted", "салмактуу": "weighted",
    "салмактуу орточо": "weighted", "салмактанган": "weighted", "салмактанган орточо": "weighted",
    # specialization variants
    "врп": "grp", "валовой региональный продукт": "grp", "дап": "grp", "дүң аймактык продукт": "grp",
    "промышленность": "industry total", "итог промышленности": "industry total",
    "объем промышленности": "industry total", "өнөр жай": "industry total",
    "товарность": "marketability", "межрайонная товарность": "marketability", "товардуулук": "marketability",
}

_NORMALISATIONS = {
    "отношение": "ratio", "отношение к лучшему": "ratio", "к лучшему": "ratio", "катыш": "ratio",
    "эң жакшыга катыш": "ratio",
    "минмакс": "minmax", "мин макс": "minmax", "минимакс": "minmax", "линейное масштабирование": "minmax",
    "z оценка": "zscore", "z оценки": "zscore", "стандартизация": "zscore", "z баа": "zscore",
    "стандартташтыруу": "zscore",
    "ранг": "rank", "ранги": "rank", "места": "rank", "сумма мест": "rank", "орун": "rank", "орундар": "rank",
    "орундардын суммасы": "rank",
    "расстояние": "distance", "расстояние до эталона": "distance", "аралык": "distance",
}

_DASH = {
    "ноль": "zero", "нуль": "zero", "нөл": "zero", "нол": "zero", "нет производства": "zero",
    "пропуск": "missing", "нет данных": "missing", "н/д": "missing", "маалымат жок": "missing", "жок": "missing",
}

_GROWTH_VIEWS = {
    "сводка": "summary", "итог": "summary", "кыскача": "summary", "жыйынтык": "summary",
    "базисный": "base", "базисные": "base", "базалык": "base",
    "цепной": "chain", "цепные": "chain", "чынжырлуу": "chain",
    "прирост": "increase", "базисный прирост": "increase", "өсүш": "increase", "өсүү": "increase",
    "цепной прирост": "chain increase", "чынжырлуу өсүш": "chain increase", "чынжырлуу өсүү": "chain increase",
    "доля": "share", "доли": "share", "структура": "share", "үлүш": "share", "үлүшү": "share", "түзүм": "share",
    "печать": "printed", "как в таблице": "printed", "текст": "printed", "басма": "printed",
}

_RATING_VIEWS = {
    "все": "all", "всё": "all", "баары": "all", "бардыгы": "all",
    "места": "ranks", "ранги": "ranks", "орундар": "ranks",
    "баллы": "scores", "оценки": "scores", "упайлар": "scores",
    "сводка": "summary", "кыскача": "summary", "корреляция": "correlation", "корреляциясы": "correlation",
}

_PEERS = {
    "гувер": "hoover", "кругман": "krugman", "джини": "gini", "херфиндаль": "herfindahl",
    "херфиндаль нормированный": "herfindahl normalized", "нормированный херфиндаль": "herfindahl normalized",
    "аддитивный lq": "locq additive", "аддитивдик lq": "locq additive",
}

_IMPUTATIONS = {"нет": "none", "жок": "none", "среднее": "mean", "орточо": "mean", "медиана": "median"}

_TREATMENTS = {"нет": "none", "жок": "none", "винзоризация": "winsorise", "лог": "log", "логарифм": "log",
               "авто": "auto"}

# kind of option -> {word as `option_key` gives it: the English word the function takes}
WORDS = {
    "method": _MEANS,
    "aggregation": _MEANS,
    "normalisation": _NORMALISATIONS,
    "dash": _DASH,
    "growth view": _GROWTH_VIEWS,
    "rating view": _RATING_VIEWS,
    "peer": _PEERS,
    "imputation": _IMPUTATIONS,
    "treatment": _TREATMENTS,
}
WORDS = {kind: {option_key(k): v for k, v in words.items()} for kind, words in WORDS.items()}


def translate(text, kind: str):
    """The English option word for `text` typed in Kyrgyz or Russian (`kind`: a key of WORDS);
    `text` itself when it is not such a word (English words, unknown words, None)."""
    if not isinstance(text, str):
        return text
    return WORDS[kind].get(option_key(text), text)
