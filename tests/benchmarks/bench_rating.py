"""Benchmark of the integral rating (run by hand: `python tests/benchmarks/bench_rating.py`).

Seeded data. Prints, in one process, the best of several repeats (after a warm-up), in milliseconds:
  * `rate` (ratio to best, arithmetic mean) on R regions x K indicators with 5 % missing cells, and
    the plain numpy expression nanmean(X / nanmax(X, 0), 1) on the same matrix, and their ratio
    (the checks, reasons and RANK.EQ ranks cost what they cost; target: < 25 ms at 1000 x 50);
  * `sensitivity` with every method combination, with and without dropping one indicator at a time,
    at the Kyrgyz size (9 regions x 15 indicators) and at 1000 x 50;
  * `rate_years` at 9 regions x 15 indicators x 5 years.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from xlkg.core import rating  # noqa: E402


def make_data(n_regions, n_indicators, seed=20191231, missing=0.05):
    rng = np.random.default_rng(seed)
    x = rng.lognormal(3, 1, size=(n_regions, n_indicators))
    x[rng.random(x.shape) < missing] = np.nan
    dirs = np.where(rng.random(n_indicators) < 0.2, "-", "+").tolist()
    return (pd.DataFrame(x, index=[f"R{k:04d}" for k in range(n_regions)],
                         columns=[f"I{k:02d}" for k in range(n_indicators)]), dirs)


def best_ms(fn, repeats=5):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--regions", type=int, default=1000)
    p.add_argument("--indicators", type=int, default=50)
    a = p.parse_args(argv)

    x, dirs = make_data(a.regions, a.indicators)
    plus = np.array([d == "+" for d in dirs])

    def baseline():
        X = x.to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            b = np.where(plus, X / np.nanmax(X, 0), np.nanmin(X, 0) / X)
            return np.nanmean(b, 1)

    t_np = best_ms(baseline)
    t_rate = best_ms(lambda: rating.rate(x, dirs))
    print(f"rate {a.regions}x{a.indicators}: {t_rate:.2f} ms; numpy ratio-mean: {t_np:.2f} ms; "
          f"ratio {t_rate / t_np:.1f}")

    small, sdirs = make_data(9, 15)
    print(f"sensitivity 9x15 (7 combinations): {best_ms(lambda: rating.sensitivity(small, sdirs)):.1f} ms")
    print(f"sensitivity 9x15 with drop_one (7 x 16 ratings): "
          f"{best_ms(lambda: rating.sensitivity(small, sdirs, drop_one=True)):.1f} ms")
    print(f"sensitivity {a.regions}x{a.indicators} (7 combinations): "
          f"{best_ms(lambda: rating.sensitivity(x, dirs), repeats=3):.1f} ms")
    years = {2015 + k: make_data(9, 15, seed=k)[0] for k in range(5)}
    print(f"rate_years 9x15x5: {best_ms(lambda: rating.rate_years(years, sdirs)):.1f} ms")


if __name__ == "__main__":
    main()
