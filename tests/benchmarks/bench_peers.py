"""Benchmark of SHIFT_SHARE and REGION_RATING_UNCERTAINTY on the user's path: the worksheet functions
called with rows of cells, as Excel calls them (run by hand: `python tests/benchmarks/bench_peers.py`).

Seeded data. Each measured call is interleaved with its anchor (the worksheet function the user would
otherwise call on the same cells: LOCALIZATION on the base table for SHIFT_SHARE, REGION_RATING for the
uncertainty), repeated, and the medians (milliseconds) and their ratio are printed:
  * SHIFT_SHARE at the Kyrgyz size (9 regions x 6 sectors) and at 300 x 60;
  * REGION_RATING_UNCERTAINTY (1000 and 10000 runs) at 9 regions x 15 indicators and 100 x 30.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from xlkg.excel import udfs


def table(n_rows, n_cols, seed, scale=1000.0):
    rng = np.random.default_rng(seed)
    x = np.round(rng.lognormal(0, 1, size=(n_rows, n_cols)) * scale, 1)
    return [["Region"] + [f"S{j:02d}" for j in range(n_cols)]] + [
        [f"R{i:03d}"] + x[i].tolist() for i in range(n_rows)]


def grown(rows, seed):
    rng = np.random.default_rng(seed)
    out = [rows[0]]
    for r in rows[1:]:
        out.append([r[0]] + [round(v * rng.uniform(0.8, 1.3), 1) for v in r[1:]])
    return out


def interleaved(run, anchor, repeats=9):
    run(), anchor()  # warm-up
    a, b = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        run()
        a.append(time.perf_counter() - t)
        t = time.perf_counter()
        anchor()
        b.append(time.perf_counter() - t)
    ma, mb = statistics.median(a) * 1000, statistics.median(b) * 1000
    return ma, mb, ma / mb


def main():
    print("SHIFT_SHARE vs LOCALIZATION (same base table), median ms")
    for n, k in ((9, 6), (300, 60)):
        base = table(n, k, 1)
        report = grown(base, 2)
        ma, mb, ratio = interleaved(lambda b=base, r=report: udfs.SHIFT_SHARE(b, r), lambda b=base: udfs.LOCALIZATION(b))
        print(f"  {n:4d} x {k:3d}: SHIFT_SHARE {ma:7.1f}  LOCALIZATION {mb:7.1f}  ratio {ratio:5.2f}")
    print("REGION_RATING_UNCERTAINTY vs REGION_RATING (same cells), median ms")
    for n, k in ((9, 15), (100, 30)):
        ind = table(n, k, 3, scale=10.0)
        for runs in (1000, 10000):
            ma, mb, ratio = interleaved(lambda t=ind, n_runs=runs: udfs.REGION_RATING_UNCERTAINTY(t, None, None, n_runs),
                                        lambda t=ind: udfs.REGION_RATING(t), repeats=5)
            print(f"  {n:4d} x {k:3d}, {runs:5d} runs: UNCERTAINTY {ma:7.1f}  REGION_RATING {mb:6.1f}  "
                  f"ratio {ratio:6.1f}")


if __name__ == "__main__":
    main()
