"""What reading a ministry table costs, on the user's path (a worksheet function given the cells).

    python tests/benchmarks/bench_cells.py [--rows 1000 --cols 100 --repeat 5]

Three tables of the same size, regions x sectors, read by LOCALIZATION as Excel passes them:
  floats   every cell a number (what a clean workbook sends);
  ministry numbers typed as text as the statistics committee prints them ("1 234,5", "7913,8"), a few
           dashes and "н/д", a national row and a total column, and the committee's layout (a code
           column, names in three languages, a units line);
  dotted   text numbers with a decimal point, a quarter of them "1.234"-like, settled by the table.
Anchor: the computation alone (xlkg.core.measures.localization on the DataFrame read from the floats
table), interleaved with the runs. Prints the median of each and its ratio to the anchor.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from xlkg.core import cells, measures
from xlkg.excel import udfs


def tables(rows: int, cols: int, seed: int = 1):
    rnd = random.Random(seed)
    head = [f"sector {j}" for j in range(cols)]
    values = [[round(rnd.uniform(1, 9999), 1) for _ in range(cols)] for _ in range(rows)]
    floats = [[""] + head] + [[f"region {i}"] + v for i, v in enumerate(values)]

    def ministry_text(x):
        r = rnd.random()
        if r < 0.02:
            return "-"
        if r < 0.03:
            return "н/д"
        whole, frac = f"{x:.1f}".split(".")
        return (f"{whole[:-3]} {whole[-3:]}" if len(whole) > 3 else whole) + "," + frac

    ministry = [["Код", "Аймак", "Регион", "Region"] + head + ["Бардыгы"],
                [None, None, None, None] + ["млн сом"] * (cols + 1)]
    ministry.append(["417", "Кыргыз Республикасы", "Кыргызская Республика", "Kyrgyz Republic"]
                    + [sum(c) for c in zip(*values, strict=True)] + [sum(map(sum, values))])
    for i, v in enumerate(values):
        ministry.append([str(41700 + i), f"аймак {i}", f"регион {i}", f"region {i}"]
                        + [ministry_text(x) for x in v] + [sum(v)])
    dotted = [[""] + head] + [[f"region {i}"] + [f"{x / 10:.3f}" if rnd.random() < 0.25 else f"{x:.1f}" for x in v]
                              for i, v in enumerate(values)]
    return {"floats": floats, "ministry": ministry, "dotted": dotted}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--cols", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    t = tables(a.rows, a.cols)
    frame = cells.read_table(t["floats"]).values
    runs = {"anchor (computation only)": lambda: measures.localization(frame)}
    for name, rows in t.items():
        runs[f"LOCALIZATION {name}"] = (lambda rows=rows: udfs.LOCALIZATION(rows, None, None, "zero"))
    times = {k: [] for k in runs}
    for _ in range(a.repeat):  # interleaved: each repetition runs everything once
        for k, f in runs.items():
            t0 = time.perf_counter()
            out = f()
            times[k].append(time.perf_counter() - t0)
            assert not (isinstance(out, list) and len(out) == 1 and len(out[0]) == 1), out
    anchor = statistics.median(times["anchor (computation only)"])
    print(f"{a.rows} regions x {a.cols} sectors, median of {a.repeat}")
    for k, ts in times.items():
        m = statistics.median(ts)
        print(f"  {k:32s} {m * 1000:9.1f} ms   x{m / anchor:8.1f} of the anchor")


if __name__ == "__main__":
    main()
