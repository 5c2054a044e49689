"""Speed of the zip-level cell writer against openpyxl's load + save of the same workbook.

Run: python tests/benchmarks/bench_xlsx.py
Prints seconds per patch for a small template-like workbook and for a sheet of 100,000 cells, with
1,000 and 10,000 cells written, and the ratio to openpyxl's load + save (which would also drop charts).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402

from xlkg import xlsx as xp  # noqa: E402


def build(path: Path, rows: int, cols: int) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    for r in range(rows):
        ws.write_row(r, 0, [r * cols + c + 0.5 for c in range(cols)])
    ch = wb.add_chart({"type": "line"})
    ch.add_series({"values": f"=Data!$A$1:$A${min(rows, 50)}"})
    ws.insert_chart("Z2", ch)
    wb.close()
    return path


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for rows, cols in ((50, 10), (10_000, 10)):
            src = build(tmp / f"src_{rows}.xlsx", rows, cols)
            for n in (10, 1_000, 10_000):
                if n > rows * cols * 2:
                    continue
                # half existing cells, half new cells in new columns
                writes = {}
                for i in range(n):
                    r = i // 20 + 1
                    c = i % 20 + 1
                    writes[f"{xp.col_letter(c)}{r}"] = float(i)
                t_patch = timed(lambda src=src, writes=writes: xp.patch_workbook(src, tmp / "out.xlsx", {"Data": writes}))

                def openpyxl_roundtrip(src=src, writes=writes):
                    wb = openpyxl.load_workbook(src)
                    ws = wb["Data"]
                    for ref, v in writes.items():
                        ws[ref] = v
                    wb.save(tmp / "out_openpyxl.xlsx")

                t_opx = timed(openpyxl_roundtrip)
                print(f"sheet {rows * cols:>7,} cells, write {n:>6,}: patch {t_patch:7.3f} s   "
                      f"openpyxl load+write+save {t_opx:7.3f} s   ratio {t_opx / t_patch:5.1f}x")
        inv_src = tmp / "src_10000.xlsx"
        print(f"inventory of the 100,000-cell workbook: {timed(lambda: xp.inventory(inv_src)):.3f} s")


if __name__ == "__main__":
    main()
