"""Issue 11: every worksheet function, fed random grids of text, numbers, blanks, errors, zero and
negative totals, answers with a block or a message: no exception, no hang, no silent number.

Seeded, so a failure repeats; a few thousand calls, a few seconds. "No silent number" is checked two
ways: every number a function returns is finite (never NaN, inf or a value beyond Excel's range); and
for LOCALIZATION, PER_CAPITA and SPECIALIZATION on random tables, every returned cell equals the textbook formula
computed here from the numbers the generator meant (methods sections 1-3), and is #N/A exactly
where that formula has no value (a cell that is not a number, a sum over such a cell, a total of 0).
"""

from __future__ import annotations

import datetime
import math
import random
import signal

import pytest

from xlkg.excel import registry, udfs
from xlkg.excel.registry import RANGE, REGISTRY

SEED = 20261201
CALLS_PER_FUNCTION = 120
WATCHDOG_SECONDS = 60  # a call that runs this long is a hang (they take milliseconds)

REGIONS = ["Баткен облусу", "Чуйская область", "Talas oblast", "Нарын облусу", "Ош облусу", "г. Бишкек",
           "Ысык-Көл облусу", "Jalal-Abad oblast", "Ош ш."]
LABELS = REGIONS + ["Кыргыз Республикасы", "Всего", "Кыргыз Республикасы боюнча", "Total", "Ош", None, "",
                    "Чүй облусу / Чуйская область", "2021 г.", 2015.0, 7.5, "abc", "#N/A", "mining", "Бардыгы"]
SECTORS = ["mining", "тоо-кен", "Иштетүү", "energy", "2020 г.", "2021-ж.", "Всего", "Бардыгы", 2015.0, None,
           "млн сом", "s1", "s2", "Код"]
TEXT_NUMBERS = ["1 234,5", "(-5)", "12%", "1.234", "1e400", "1" * 400, "0,5", "−3", "(7)", "7913,8", "0.480",
                "1.234.567", "2,553", "-0", "1e-400", " 12 ", "12*"]
MISSING = [None, "", "-", "–", "н/д", "…", "x", "#N/A", "#DIV/0!", "#VALUE!", "#REF!"]
OTHER = [True, False, "abc", "Чүй облусу", "Всего", "2021 г.", datetime.date(2021, 1, 1), "empty"]
NUMBERS = [0.0, 1.0, -5.0, 1e300, 1e-310, 123456789012.0, 3, -0.0, 9.99999999999999e307, 2.5e-308]

# per option: (words the function takes, words it refuses); a valid word most of the time, so that
# the calls reach the tables instead of stopping at the options
OPTIONS = {
    "dash": ([None, "zero", "missing", "нөл", "ноль", 0.0], ["bad", 1.0]),
    "lang": ([None, "ky", "ru", "en"], ["fr", 5.0]),
    "method": ([None, "geometric", "mean", "product", "grp", "industry_total", "ratio", "minmax", "zscore",
                "rank", "distance", "геометрическое", "минмакс"], ["bogus", 3.0, "marketability"]),
    "view": ([None, "summary", "base", "chain", "increase", "chain_increase", "share", "printed", "all", "ranks",
              "scores", "correlation", "цепной"], ["x"]),
    "base": ([None, None, 2015.0, "2016 г."], ["zzz", [[2015.0]], [[2015.0, 2016.0]]]),
    "total_row": ([None, None, "Всего"], ["nothing", "Баткен облусу", "a"]),
    "which": (["hoover", "krugman", "gini", "herfindahl", "herfindahl_normalized", "locq_additive", "Гувер"],
              [None, "x"]),
    "threshold": ([None, 1.0, "1,5", 0.0], ["abc", -1.0, "1e400"]),
    "aggregation": ([None, "mean", "geometric", "weighted", "среднее"], ["bad"]),
    "min_coverage": ([None, 0.5, 1.0], ["x", 2.0, 0.0]),
    "reference": ([None, None, "Баткен облусу"], ["nowhere", "Чүй облусу"]),
    "drop_one": ([None, True, "да", 1.0], ["maybe"]),
    "measure": (["localization", "localization_mean", "per_capita", "specialization", "cluster_potential",
                 "region_rating", "base_growth", "share", "hoover", "litzenberger"], [None, "bogus"]),
}
# where one function's words differ from another's
FUNCTION_OPTIONS = {
    ("DYNAMICS", "view"): ([None, "summary", "base", "chain", "increase", "chain_increase", "share", "printed",
                          "цепной"], ["x", "ranks"]),
    ("REGION_RATING_YEARS", "view"): ([None, "all", "ranks", "scores", "места"], ["x"]),
    ("REGION_RATING_SENSITIVITY", "view"): ([None, "summary", "ranks", "correlation"], ["x"]),
    ("CLUSTER_POTENTIAL", "method"): ([None, "geometric", "mean", "product", "геометрическое"], ["bogus"]),
    ("SPECIALIZATION", "method"): ([None, "grp", "industry_total", "ВРП"], ["bogus", "marketability"]),
}
for _f in ("REGION_RATING", "REGION_RATING_SCORES", "REGION_RATING_YEARS"):
    FUNCTION_OPTIONS[(_f, "method")] = ([None, "ratio", "minmax", "zscore", "rank", "distance", "минмакс"],
                                        ["bogus", "mean"])
PAIR_ARGS = ("population", "grp", "area", "region_totals", "sector_totals")
ROW_ARGS = {
    "directions": ["+", "-", 1.0, -1.0, "x", "−", None, "+,+,-"],
    "weights": [1.0, 2.0, 0.0, -1.0, "x", None, "1,5"],
    "methods": ["ratio", "minmax", "rank", "bogus", None, "ratio,zscore"],
}


def _cell(rnd: random.Random):
    kind = rnd.random()
    if kind < 0.45:
        return rnd.choice([rnd.uniform(0, 1e4), float(rnd.randint(0, 50)), rnd.choice(NUMBERS)])
    if kind < 0.65:
        return rnd.choice(TEXT_NUMBERS)
    if kind < 0.85:
        return rnd.choice(MISSING)
    return rnd.choice(OTHER)


def _grid(rnd: random.Random):
    if rnd.random() < 0.7:
        grid = _table_like(rnd)
    else:  # anything at all
        rows, cols = rnd.randint(1, 7), rnd.randint(1, 6)
        header = [rnd.choice(LABELS)] + [rnd.choice(SECTORS) for _ in range(cols - 1)]
        grid = [header] + [[rnd.choice(LABELS)] + [_cell(rnd) for _ in range(cols - 1)] for _ in range(rows - 1)]
    rows, cols = len(grid), len(grid[0])
    if rnd.random() < 0.2 and rows > 1 and cols > 1:  # a zero or negative total row / column
        value = rnd.choice([0.0, -1.0, "0"])
        if rnd.random() < 0.5:
            grid[-1] = [rnd.choice(["Кыргыз Республикасы", "Всего"])] + [value] * (cols - 1)
        else:
            for r in grid[1:]:
                r[-1] = value
    if rnd.random() < 0.1:  # turned sideways
        grid = [list(c) for c in zip(*grid, strict=True)]
    return grid


def _table_like(rnd: random.Random):
    """Regions down, sectors (or years) across, numbers mostly, and the odd cell of anything."""
    regions = rnd.sample(REGIONS, rnd.randint(2, 6))
    across = rnd.choice([["mining", "тоо-кен", "energy", "s1", "s2"], ["2019 г.", "2020-ж.", 2021.0, "2022"]])
    heads = across[:rnd.randint(1, len(across))]
    grid = [[rnd.choice(["", "Регион", None, "Аймак"])] + heads]
    for region in regions:
        grid.append([region] + [_cell(rnd) if rnd.random() < 0.2 else round(rnd.uniform(0, 1000), 1)
                                for _ in heads])
    if rnd.random() < 0.3:
        grid.append([rnd.choice(["Кыргыз Республикасы", "Всего", "Кыргыз Республикасы боюнча"])]
                    + [rnd.choice([0.0, 5000.0, _cell(rnd)]) for _ in heads])
    return grid


def _pairs(rnd: random.Random, name: str):
    """Two columns (region, number) with a header line and sometimes the national row."""
    rows = [[rnd.choice(["Регион", "Аймак", None]), rnd.choice([name, "2021 г.", "тыс. чел."])]]
    for region in rnd.sample(REGIONS, rnd.randint(2, 8)):
        rows.append([region, _cell(rnd) if rnd.random() < 0.15 else round(rnd.uniform(0, 3000), 1)])
    if rnd.random() < 0.4:
        rows.append([rnd.choice(["Кыргыз Республикасы", "Всего"]), rnd.choice([0.0, 9000.0, -1.0, "н/д"])])
    return rows


def _row(rnd: random.Random, name: str):
    items = [rnd.choice(ROW_ARGS[name]) for _ in range(rnd.randint(1, 5))]
    return [items] if rnd.random() < 0.7 else [[x] for x in items]


def _args(rnd: random.Random, spec):
    args = []
    for a in spec.args:
        if a.vararg:
            args += [_grid(rnd) for _ in range(rnd.randint(1, 3))]
            args += [rnd.choice(["geometric", "dash=zero", "lang=ky", "ky", "dash=bad", "x=1", "среднее"])
                     for _ in range(rnd.randint(0, 2))]
        elif a.name in PAIR_ARGS and rnd.random() < 0.8:
            args.append(_pairs(rnd, a.name) if rnd.random() < 0.9 or not a.optional else None)
        elif a.name in ROW_ARGS:
            args.append(_row(rnd, a.name) if rnd.random() < 0.7 else None)
        elif a.kind == RANGE:
            args.append(_grid(rnd) if not a.optional or rnd.random() < 0.7 else None)
        elif a.name in OPTIONS:
            valid, invalid = FUNCTION_OPTIONS.get((spec.name, a.name), OPTIONS[a.name])
            args.append(rnd.choice(valid if rnd.random() < 0.96 else invalid))
        else:
            args.append(_cell(rnd))
    return args


class _Watchdog:
    """Turns a hang into a failure (SIGALRM; no effect on a call that returns)."""

    def __init__(self, what: str):
        self.what = what

    def __enter__(self):
        def hang(signum, frame):
            raise AssertionError(f"{self.what}: no answer after {WATCHDOG_SECONDS} s")

        self.old = signal.signal(signal.SIGALRM, hang)
        signal.alarm(WATCHDOG_SECONDS)

    def __exit__(self, *exc):
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.old)


def _check_block(name, args, block):
    where = f"{name}{tuple(args)!r}"[:2000]
    assert isinstance(block, list) and block and all(isinstance(r, list) for r in block), where
    width = len(block[0])
    assert width >= 1 and all(len(r) == width for r in block), f"not rectangular: {where}"
    for row in block:
        for c in row:
            assert c is not None, f"None in the block: {where}"
            if isinstance(c, float):
                assert math.isfinite(c) and abs(c) <= 9.99999999999999e307, f"silent {c!r}: {where}"
            elif isinstance(c, str):
                assert "internal error" not in c and "Traceback" not in c, f"{c}: {where}"
            else:
                assert isinstance(c, (bool, int)), f"{type(c).__name__} in the block: {where}"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_worksheet_function_survives_random_grids(name):
    spec = REGISTRY[name]
    fn = getattr(udfs, name)
    rnd = random.Random(f"{SEED}-{name}")
    for _ in range(CALLS_PER_FUNCTION):
        args = _args(rnd, spec)
        with _Watchdog(name):
            block = fn(*args)
        _check_block(name, args, block)


# --------------------------------------------------------------------------------------------------
# no silent number: random tables against the formulas computed here


def _written(rnd: random.Random, v: float):
    """A number as ministries write it: a float, or text with a decimal comma and space thousands."""
    form = rnd.random()
    if form < 0.5:
        return v
    if form < 0.8:
        whole, frac = f"{v:.1f}".split(".")
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        return " ".join([whole] + groups) + "," + frac
    return f"{v:.1f}".replace(".", ",")


NOT_NUMBERS = ["(-5)", "12%", "1e400", "abc", "#N/A", None, "-", "н/д", True, "1" * 400, "1e-400"]


def _random_table(rnd: random.Random):
    """(cells, meant): a regions x sectors table as cells, and the number each cell means (None: no number)."""
    regions = rnd.sample(REGIONS[:6], rnd.randint(2, 5))
    sectors = [f"s{k}" for k in range(1, rnd.randint(2, 5))]
    cells = [[""] + sectors]
    meant = []
    for region in regions:
        row, vals = [region], []
        for _ in sectors:
            kind = rnd.random()
            if kind < 0.12:
                bad = rnd.choice(NOT_NUMBERS)
                row.append(bad)
                vals.append(None)
            else:
                v = 0.0 if kind < 0.25 else round(rnd.uniform(0, 5000), 1)
                row.append(_written(rnd, v))
                vals.append(v)
        cells.append(row)
        meant.append(vals)
    return regions, sectors, cells, meant


def _sum(values):
    return None if any(v is None for v in values) else math.fsum(values)


def _div(a, b):
    return None if a is None or b is None or b == 0 else a / b


def _compare(block, regions, sectors, expected, where):
    if all(e is None for row in expected for e in row):
        # a message: one cell, or one column when longer than the 255 characters of a returned cell
        assert all(len(row) == 1 for row in block), f"expected a message: {where}: {block}"
        text = registry.message_text(block)
        assert "no value can be computed" in text or "division by zero" in text, where
        return
    assert block[0][1:] == sectors, where
    assert [r[0] for r in block[1:]] == regions, where
    for row, exp in zip(block[1:], expected, strict=True):
        for got, e in zip(row[1:], exp, strict=True):
            if e is None:
                assert got == "#N/A", f"silent number {got!r}: {where}"
            else:
                assert got == pytest.approx(e, rel=1e-9, abs=1e-12), where


def test_localization_on_random_tables_is_the_formula_or_na():
    # Kl_ri = (x_ri / x_r) / (x_i / x), sums over the table (methods section 1)
    rnd = random.Random(f"{SEED}-lq")
    for _ in range(300):
        regions, sectors, cells, meant = _random_table(rnd)
        x_r = [_sum(row) for row in meant]
        x_i = [_sum(col) for col in zip(*meant, strict=True)]
        x = _sum(x_r)
        expected = [[_div(_div(v, x_r[r]), _div(x_i[i], x)) if x else None for i, v in enumerate(row)]
                    for r, row in enumerate(meant)]
        _compare(udfs.LOCALIZATION(cells), regions, sectors, expected, repr(cells))


def test_per_capita_and_specialization_on_random_tables_are_the_formula_or_na():
    # Kdp_ri = (x_ri / x_i) / (P_r / P), P the population's national row when given, else its sum
    rnd = random.Random(f"{SEED}-kdp")
    for _ in range(300):
        regions, sectors, cells, meant = _random_table(rnd)
        pop = [rnd.choice([0.0, 1.0, round(rnd.uniform(1, 3000), 1)]) for _ in regions]
        national = rnd.choice([None, 0.0, round(rnd.uniform(1000, 9000), 1)])
        population = [["Регион", "Население"]] + [[r, p] for r, p in zip(regions, pop, strict=True)]
        if national is not None:
            population.append(["Кыргыз Республикасы", national])
        P = national if national is not None else math.fsum(pop)
        x_i = [_sum(col) for col in zip(*meant, strict=True)]
        expected = [[_div(_div(v, x_i[i]), _div(pop[r], P)) if P else None for i, v in enumerate(row)]
                    for r, row in enumerate(meant)]
        _compare(udfs.PER_CAPITA(cells, population), regions, sectors, expected, repr((cells, population)))
        # the specialization coefficient (default method) is the same form with GRP for population:
        # Ks_ri = (x_ri / x_i) / (Y_r / Y)
        _compare(udfs.SPECIALIZATION(cells, population), regions, sectors, expected, repr((cells, population)))
