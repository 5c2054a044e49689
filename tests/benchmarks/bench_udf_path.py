"""The worksheet-function path as Excel calls it, against bare numpy on the same cells.

Run: python tests/benchmarks/bench_udf_path.py [--repeat 7]

What Excel hands a worksheet function is a list of rows: a header row of sector names, a first column
of region names, numbers as floats and, in ministry workbooks, some numbers as text with a decimal
comma ("7913,8"). Each case runs the worksheet function (the user's path: cells in, the result block
out) and its anchor, bare numpy doing the least the same answer needs (parse the same rows, decimal
commas included, and compute), interleaved in every repetition, and prints medians and ratios.

    LOCALIZATION, 1000 regions x 500 sectors, 10 % text numbers     goal: <= 3x numpy
    LOCALIZATION, 10 x 6 (the real size), per call                   goal: <= 5x numpy
    REGION_RATING, 5000 regions x 12 indicators                      goal: <= 3x numpy
    REGION_RATING per region from 1000 to 8000 regions               goal: linear (no step at 4096)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from xlkg.excel import udfs  # noqa: E402


def cells(n: int, m: int, seed: int = 1, text_share: float = 0.1) -> list[list]:
    rng = np.random.default_rng(seed)
    vals = rng.uniform(1, 1000, (n, m))
    text = rng.random((n, m)) < text_share
    rows = [["Region"] + [f"sector {j}" for j in range(m)]]
    for i in range(n):
        row = [f"region {i}"] + vals[i].tolist()
        for j in np.flatnonzero(text[i]):
            row[j + 1] = f"{vals[i, j]:.1f}".replace(".", ",")
        rows.append(row)
    return rows


def _numbers(rows) -> np.ndarray:
    return np.array([[float(c.replace(",", ".")) if type(c) is str else c for c in r[1:]] for r in rows[1:]])


def numpy_lq(rows) -> np.ndarray:
    x = _numbers(rows)
    return (x / x.sum(axis=1, keepdims=True)) / (x.sum(axis=0) / x.sum())


def numpy_rating(rows) -> np.ndarray:
    x = _numbers(rows)
    score = (x / x.max(axis=0)).mean(axis=1)
    order = np.argsort(-score, kind="stable")
    rank = np.empty(len(score), dtype=int)
    rank[order] = np.arange(1, len(score) + 1)
    return rank


def interleaved(cases: dict, repeat: int) -> dict[str, float]:
    times = {k: [] for k in cases}
    for _ in range(repeat):
        for name, (fn, arg, calls) in cases.items():
            t = time.perf_counter()
            for _ in range(calls):
                fn(arg)
            times[name].append((time.perf_counter() - t) / calls)
    return {k: statistics.median(v) for k, v in times.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    a = ap.parse_args(argv)

    big, small, rating = cells(1000, 500), cells(10, 6), cells(5000, 12)
    # the same answer both ways, before timing (a benchmark of a wrong result measures nothing)
    got = np.array([r[1:] for r in udfs.LOCALIZATION(small)[1:]], dtype=float)
    assert np.allclose(got, numpy_lq(small), rtol=1e-12)
    ranks = [r[2] for r in udfs.REGION_RATING(rating)[1:]]
    assert ranks == numpy_rating(rating).tolist()

    print(f"{'case':58} {'xlkg':>10} {'numpy':>10} {'ratio':>6}  goal")
    for label, fn, anchor, arg, calls, goal in (
        ("LOCALIZATION 1000 x 500, 10 % text", udfs.LOCALIZATION, numpy_lq, big, 1, 3),
        ("LOCALIZATION 10 x 6, per call", udfs.LOCALIZATION, numpy_lq, small, 200, 5),
        ("REGION_RATING 5000 x 12", udfs.REGION_RATING, numpy_rating, rating, 1, 3),
    ):
        med = interleaved({"xlkg": (fn, arg, calls), "numpy": (anchor, arg, calls)}, a.repeat)
        ratio = med["xlkg"] / med["numpy"]
        print(f"{label:58} {med['xlkg'] * 1e3:8.3f}ms {med['numpy'] * 1e3:8.3f}ms {ratio:6.2f}  <= {goal}x")

    print("\nREGION_RATING per region (linear: the same time per region at every size)")
    sizes = (1000, 2000, 4000, 4096, 4200, 8000)
    grids = {n: cells(n, 12, seed=n) for n in sizes}
    med = interleaved({n: (udfs.REGION_RATING, grids[n], 1) for n in sizes}, a.repeat)
    base = med[1000] / 1000
    for n in sizes:
        print(f"  {n:5d} regions: {med[n] * 1e3:8.2f} ms, {med[n] / n * 1e6:6.2f} us/region, "
              f"{(med[n] / n) / base:4.2f}x the 1000-region rate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
