"""Benchmark of the computation core (run by hand: `python tests/benchmarks/bench_measures.py`).

Seeded data: 1000 regions x 500 sectors, 3 bases (output, employment, enterprises), population,
area, GRP and firms. Prints, in one process:
  * the location quotient through `xlkg.core.measures.localization` and the plain numpy expression
    (X / X.sum(1)) / (X.sum(0) / X.sum()) on the same matrix, and their ratio (target: <= 2);
  * every measure of `xlkg.core.measures`, `xlkg.core.peers` and `xlkg.core.dynamics` together (target: < 0.5 s).
Times are the best of several repeats (after a warm-up), in milliseconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from xlkg.core import dynamics, measures, peers  # noqa: E402


def make_data(n_regions=1000, n_sectors=500, seed=20191231):
    rng = np.random.default_rng(seed)
    regions = pd.Index([f"R{k:04d}" for k in range(n_regions)], name="region")
    sectors = pd.Index([f"S{k:03d}" for k in range(n_sectors)], name="sector")
    scale = rng.lognormal(3, 1, size=(n_regions, 1)) * rng.lognormal(0, 1, size=(1, n_sectors))

    def base():
        return pd.DataFrame(rng.gamma(2.0, scale), index=regions, columns=sectors)

    bases = {"output": base(), "employment": base(), "enterprises": base().round() + 1}
    pop = pd.Series(rng.uniform(1e4, 1e6, n_regions), index=regions)
    area = pd.Series(rng.uniform(1e2, 1e4, n_regions), index=regions)
    grp = pd.Series(bases["output"].sum(axis=1).to_numpy() * rng.uniform(1.5, 3, n_regions), index=regions)
    return bases, pop, area, grp


def best(f, repeat):
    f()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def all_measures(bases, pop, area, grp):
    out = bases["output"]
    emp = bases["employment"]
    firms = bases["enterprises"]
    kl = measures.localization_mean(bases)
    measures.localization_mean(bases, method="geometric")
    kdp = measures.per_capita(out, pop)
    ks = measures.specialization(out, grp)
    measures.specialization(out, method="industry_total")
    ki = measures.cluster_potential(kl, kdp, ks)
    measures.cluster_potential(kl, kdp, ks, method="mean")
    measures.cluster_potential(kl, kdp, ks, method="product")
    measures.advantage(ki)
    measures.candidates(ki)
    peers.hoover_specialization(emp)
    for ref in peers.KRUGMAN_REFERENCES:
        peers.krugman_specialization(emp, ref)
    peers.gini_lq(emp)
    peers.locq_additive(emp)
    peers.herfindahl(emp)
    peers.herfindahl(emp, normalized=True)
    peers.litzenberger_components(emp, area, pop, firms)
    peers.eco_stars(emp)
    peers.us_strong_clusters(emp, firms)
    # dynamics on a regions x periods table (the 500 columns read as periods)
    dynamics.base_growth(out)
    dynamics.chain_growth(out)
    dynamics.base_increase(out)
    dynamics.chain_increase(out)
    dynamics.shares(out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--regions", type=int, default=1000)
    p.add_argument("--sectors", type=int, default=500)
    p.add_argument("--repeat", type=int, default=7)
    a = p.parse_args(argv)
    bases, pop, area, grp = make_data(a.regions, a.sectors)
    x = bases["output"]
    arr = x.to_numpy()

    def plain():
        return (arr / arr.sum(axis=1, keepdims=True)) / (arr.sum(axis=0) / arr.sum())

    # same numbers first
    np.testing.assert_allclose(measures.localization(x).values.to_numpy(), plain(), rtol=1e-12)
    t_np = best(plain, a.repeat * 3)
    t_lq = best(lambda: measures.localization(x), a.repeat * 3)
    t_all = best(lambda: all_measures(bases, pop, area, grp), a.repeat)
    print(f"data: {a.regions} regions x {a.sectors} sectors x {len(bases)} bases")
    print(f"location quotient, plain numpy:        {t_np * 1e3:8.2f} ms")
    print(f"location quotient, xlkg localization:  {t_lq * 1e3:8.2f} ms   ratio {t_lq / t_np:5.2f} (target <= 2)")
    print(f"all measures together:                 {t_all * 1e3:8.2f} ms   (target < 500 ms)")
    for name, f in [
        ("localization_mean (3 bases)", lambda: measures.localization_mean(bases)),
        ("per_capita", lambda: measures.per_capita(x, pop)),
        ("specialization (grp)", lambda: measures.specialization(x, grp)),
        ("gini_lq", lambda: peers.gini_lq(x)),
        ("litzenberger_components", lambda: peers.litzenberger_components(x, area, pop, bases["enterprises"])),
        ("us_strong_clusters", lambda: peers.us_strong_clusters(x, bases["enterprises"])),
        ("eco_stars", lambda: peers.eco_stars(x)),
        ("advantage", lambda: measures.advantage(x)),
        ("candidates", lambda: measures.candidates(x)),
        ("chain_growth", lambda: dynamics.chain_growth(x)),
    ]:
        print(f"  {name:30s} {best(f, a.repeat) * 1e3:8.2f} ms")
    return 0 if (t_lq / t_np <= 2 and t_all < 0.5) else 1


if __name__ == "__main__":
    raise SystemExit(main())
