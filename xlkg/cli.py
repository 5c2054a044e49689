"""`xlkg`: the same work without Excel. Every command of the package is here, and nothing else prints.

    xlkg demo    [-o DIR]                              the main job on the bundled data
    xlkg recalc  IN.xlsx -o OUT.xlsx                   evaluate every formula, xlkg's included
    xlkg fill    INPUT.xlsx --template T.xlsx -o OUT   fill the cluster scorecard (or a folder: batch)
    xlkg render  WORKBOOK.xlsx -o DIR [--pages 1,3-4]    PDF and PNG pages through LibreOffice
    xlkg rating  TABLE.csv [--directions ...]          integral regional rating (and its sensitivity)
    xlkg manifest [--check]                            regenerate (or check) udf_manifest.txt, VBA, metadata
    xlkg serve   [--port 8000] [--host 127.0.0.1]      the Excel 365 add-in's server (xlwings Server)
    xlkg build   [-o DIR] [--only templates|sample]    build the bundled workbooks (as code) into DIR

The library functions return reports; the commands here print them. Results go to stdout, messages
about the run (progress, the rating's method and notes, errors) to stderr. Exit status, the same for
every command:
    0  done;
    1  done, but something failed or is stale: workbooks of a batch that could not be filled, generated
       files that are stale (`manifest --check`), LibreOffice failing on a workbook;
    2  bad input or a missing prerequisite: one message on stderr naming the file, sheet, cell or
       option, and no traceback (argparse's own usage errors exit 2 too).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from pathlib import Path

from xlkg.core.errors import InputError

SHOWN = 10  # how many cells with an error value, or notes, a command lists before "... N more"


def _wrote(path, detail: str = "") -> None:
    print(f"wrote {path}" + (f": {detail}" if detail else ""))


def _demo(args) -> int:
    from xlkg.demo.run import run_demo

    for path in run_demo(Path(args.output)):
        _wrote(path)
    return 0


def _recalc(args) -> int:
    from xlkg.output import check_destination
    from xlkg.recalc import recalc, summary_lines
    from xlkg.xlsx import same_file

    overwrite = bool(getattr(args, "overwrite", False))
    src, dst = Path(args.input), Path(args.output)
    if not overwrite and src.exists() and same_file(src, dst):
        raise InputError(f"output {dst.name} is the input workbook itself; choose another file (-o) or add "
                         f"--overwrite")
    check_destination(dst, overwrite=overwrite)
    report = recalc(src, dst, overwrite=overwrite, engine=getattr(args, "engine", None) or "formulas")
    for line in summary_lines(report):
        print(line)
    return 0


def _fill(args) -> int:
    """One workbook, or a folder (a batch: a summary of what was filled and what failed and why; exit 1
    when anything failed)."""
    from xlkg.scorecard.writer import fill, fill_batch

    src = Path(args.input)
    overwrite = bool(getattr(args, "overwrite", False))
    if src.is_dir():
        res = fill_batch(src, args.template, args.output, overwrite=overwrite,
                         progress=not getattr(args, "no_progress", False))
        print(res.summary())
        return 1 if res.failed else 0
    rep = fill(src, args.template, args.output, overwrite=overwrite)
    sc = rep.scorecard
    _wrote(rep.output, f"overall index {sc.overall:.3f}, data coverage {sc.overall_coverage:.0%}")
    for n in rep.notes[:SHOWN]:
        print(f"  note: {n}")
    if len(rep.notes) > SHOWN:
        print(f"  ... {len(rep.notes) - SHOWN} more on the Notes sheet")
    return 0


def _render(args) -> int:
    from xlkg import render

    reason = render.unavailable_reason()
    if reason:
        raise InputError(f"needs LibreOffice and poppler-utils: {reason}")
    try:
        res = render.render_workbook(args.workbook, args.output, pages=args.pages, dpi=args.dpi, name=args.name)
    except render.OfficeError as exc:
        print(f"xlkg render: {exc}", file=sys.stderr)
        return 1
    a4 = all(render.is_a4(s) for s in res["sizes"])
    print(f"wrote {res['pdf']} ({len(res['sizes'])} pages{', A4' if a4 else ', NOT all A4'}) and "
          + ", ".join(p.name for p in res["png"]))
    return 0


def _manifest(args) -> int:
    from xlkg.excel.generate import generate_all, stale_files

    if args.check:
        stale = stale_files(args.root)
        for rel in stale:
            print(f"stale: {rel} (run `xlkg manifest` to regenerate)")
        if not stale:
            print("udf_manifest.txt, the VBA module, the Office.js metadata and docs/reference.md are current")
        return 1 if stale else 0
    for path in generate_all(args.root):
        _wrote(path)
    return 0


def _build(args) -> int:
    out = Path(args.output)
    if args.only in (None, "templates"):
        from xlkg.scorecard.templates import build_templates

        for path in build_templates(out):
            _wrote(path)
    if args.only in (None, "sample"):
        from xlkg.demo.sample import SAMPLE_NAME, build_sample

        _wrote(build_sample(out / SAMPLE_NAME, values=not args.no_values))
    return 0


# --------------------------------------------------------------------------------------------------
# xlkg rating TABLE.csv


def _split_list(text, arg):
    if text is None:
        return None
    return [t for t in text.replace(";", ",").split(",") if t.strip() != ""]


def _rating_parser(p) -> None:
    """Arguments of `xlkg rating` (an argparse parser)."""
    p.add_argument("input", help="CSV (as Excel saves it in any locale: cp1251 or UTF-8, ';' or ',', decimal "
                                 "commas) or .xlsx: header row of indicators, first column of regions (or, with "
                                 "--years, a long table with 'region' and 'year' columns, or years across)")
    p.add_argument("--sheet", help="for an .xlsx input: the sheet (default: the first)")
    p.add_argument("--directions", help="one per indicator, e.g. \"+,+,-\" (default all +)")
    p.add_argument("--weights", help="one per indicator, e.g. \"1,1,2\" (selects the weighted mean)")
    p.add_argument("--method", help="ratio (default), minmax, zscore, rank, distance")
    p.add_argument("--aggregation", help="mean (default), geometric, weighted")
    p.add_argument("--min-coverage", type=float,
                   help="share of indicators a region needs for a score (default 0.5)")
    p.add_argument("--reference", help="for --method distance: a region (default: the best values)")
    p.add_argument("--years", action="store_true", help="the input is a long table: rating per year and period")
    p.add_argument("--sensitivity", action="store_true", help="rank range over all method combinations")
    p.add_argument("--drop-one", action="store_true", help="with --sensitivity: also drop each indicator in turn")
    p.add_argument("-o", "--output", help="CSV to write (default: print)")
    p.add_argument("--overwrite", action="store_true", help="allow replacing an existing output file (never the input)")
    p.add_argument("--csv", choices=("excel-ru", "plain"),
                   help="CSV style: excel-ru (UTF-8 with BOM, ';', decimal commas: what Russian-locale Excel "
                        "opens; the default for -o) or plain (',', decimal points; the default when printing)")


def _weights_arg(text):
    from xlkg.core.cells import parse_number

    items = _split_list(text, "weights")
    if items is None:
        return None
    return [parse_number(t, where=f"weights, position {k}") for k, t in enumerate(items, start=1)]


def _rating(args) -> int:
    """Run `xlkg rating` from parsed arguments; prints the method text and writes/prints a CSV."""
    import pandas as pd

    from xlkg.core import rating
    from xlkg.core.cells import read_table
    from xlkg.xlsx import tablefile

    rows = tablefile.read_rows(args.input, sheet=args.sheet)
    directions = _split_list(args.directions, "directions")
    weights = _weights_arg(args.weights)
    min_coverage = rating.DEFAULT_MIN_COVERAGE if args.min_coverage is None else args.min_coverage
    common = dict(directions=directions, weights=weights, method=args.method or rating.DEFAULT_METHOD,
                  aggregation=args.aggregation, min_coverage=min_coverage, reference=args.reference)
    extra = None
    if args.years:
        r = rating.rate_years(rating.long_table_from_rows(rows, arg="input"), **common)
    elif args.sensitivity:
        r = rating.sensitivity(read_table(rows, arg="indicators"), drop_one=args.drop_one, **common)
        extra = r.correlation
    else:
        r = rating.rate(read_table(rows, arg="indicators"), **common)
    out = r.values.copy()
    why = r.reasons if isinstance(r.reasons, pd.DataFrame) else None
    if why is not None:
        out["reason"] = [next((x for x in row if isinstance(x, str) and x), "") for row in why.to_numpy()]
    table = tablefile.frame_rows(out, index_label="region")
    if extra is not None:
        table += [[], ["Spearman rank correlation"]] + tablefile.frame_rows(extra, index_label="")
    if args.output:
        from xlkg.output import write_bytes

        write_bytes(args.output, tablefile.csv_bytes(table, style=args.csv or "excel-ru"),
                    overwrite=args.overwrite, protect=[args.input], what="rating")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(tablefile.csv_text(table, style=args.csv or "plain"))
    print("method: " + r.method, file=sys.stderr)
    for n in r.notes:
        print("note: " + n, file=sys.stderr)
    return 0


def _serve(args) -> int:
    """Run the Office.js add-in's server (xlwings Server with xlkg's project) until stopped."""
    from xlkg.excel.server import serve

    serve(args.project, host=args.host, port=args.port, certfile=args.certfile, keyfile=args.keyfile)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xlkg", description="Regional cluster analysis for Excel workbooks.")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("demo", help="compute the measures on bundled data and write the result workbooks")
    d.add_argument("-o", "--output", default="xlkg-demo", help="folder for the results (default: xlkg-demo)")
    d.set_defaults(run=_demo)

    r = sub.add_parser("recalc", help="evaluate every formula of a workbook and write a copy with the values")
    r.add_argument("input", help="the workbook (.xlsx or .xlsm)")
    r.add_argument("-o", "--output", required=True, help="where to write the recalculated copy")
    r.add_argument("--overwrite", action="store_true",
                   help="replace OUTPUT when it exists (naming the input itself recalculates it in place)")
    r.add_argument("--engine", choices=("formulas", "libreoffice"), default="formulas",
                   help="what computes Excel's own functions: the embedded `formulas` package (default) or "
                        "LibreOffice, headless, if installed (faster on large workbooks)")
    r.set_defaults(run=_recalc)

    f = sub.add_parser("fill", help="fill the cluster scorecard template from an input workbook or a folder")
    f.add_argument("input", help="an input workbook, or a folder of them (one scorecard each)")
    f.add_argument("--template", help="the scorecard template (default: the bundled one)")
    f.add_argument("-o", "--output", required=True, help="the filled workbook, or a folder for a batch")
    f.add_argument("--overwrite", action="store_true",
                   help="replace existing output files (never the input workbook or the template)")
    f.add_argument("--no-progress", action="store_true", help="a batch: no progress bar")
    f.set_defaults(run=_fill)

    g = sub.add_parser("rating", help="integral regional rating from a CSV table of indicators")
    _rating_parser(g)
    g.set_defaults(run=_rating)

    v = sub.add_parser("render", help="print a workbook to PDF and PNG pages through LibreOffice (what an economist sees)",
                       description="PDF and PNG pictures of a workbook via LibreOffice (formulas shown by their "
                                   "cached values: run `xlkg recalc` first on a workbook with xlkg's functions).")
    v.add_argument("workbook")
    v.add_argument("-o", "--output", default=".", help="folder for the PDF and the PNG pictures")
    v.add_argument("--pages", default=None, help="pages to picture, e.g. 1 or 1,3-4 (default: all)")
    v.add_argument("--dpi", type=int, default=80)
    v.add_argument("--name", default=None, help="base name of the files (default: the workbook's)")
    v.set_defaults(run=_render)

    s = sub.add_parser("serve", help="run the xlkg Office.js add-in (xlwings Server with workbooks/server)")
    s.add_argument("--project", default=None,
                   help="the xlwings Server project folder (default: the current folder)")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; any other needs authentication on)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--certfile", default=None, help="TLS certificate (PEM) for HTTPS, which Office add-ins need")
    s.add_argument("--keyfile", default=None, help="the certificate's private key (PEM)")
    s.set_defaults(run=_serve)

    m = sub.add_parser("manifest", help="regenerate udf_manifest.txt, the VBA module, Office.js metadata and docs/reference.md")
    m.add_argument("--check", action="store_true", help="only check that the generated files are current (exit 1 if not)")
    m.add_argument("--root", default=".", help="the repository folder (default: current folder)")
    m.set_defaults(run=_manifest)

    b = sub.add_parser("build", help="build the bundled workbooks as code: the scorecard templates and the sample")
    b.add_argument("-o", "--output", default="workbooks", help="folder to write them to (default: workbooks)")
    b.add_argument("--only", choices=("templates", "sample"), help="build only these")
    b.add_argument("--no-values", action="store_true", help="leave the sample's formulas without cached values")
    b.set_defaults(run=_build)
    return p


def main(argv: list[str] | None = None) -> int:
    """The `xlkg` command. Bad input and files that cannot be read or written end with a message on
    stderr and exit status 2. Run as the process itself (`argv` None: the console script, python -m
    xlkg.cli), a stop (Ctrl+C, SIGTERM, SIGHUP) also ends with a message and status 2, after the file
    being written has been removed; called from Python, the interruption is left to the caller."""
    process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    with _stop_signals_raise() if process else contextlib.nullcontext():
        try:
            return args.run(args)
        except InputError as e:
            print(f"xlkg {args.command}: {e}", file=sys.stderr)
        except OSError as e:  # a file that cannot be read or written: say which and why, no traceback
            from xlkg.output import os_reason

            name = f"{e.filename}: " if e.filename else ""
            print(f"xlkg {args.command}: {name}{os_reason(e)}", file=sys.stderr)
        except (KeyboardInterrupt, Stopped) as e:
            if not process:
                raise
            why = "stopped (Ctrl+C)" if isinstance(e, KeyboardInterrupt) else f"stopped ({e})"
            print(f"xlkg {args.command}: {why}; the file being written was removed, no half-written file is left",
                  file=sys.stderr)
        return 2


class Stopped(BaseException):
    """A stop signal (SIGTERM, SIGHUP) turned into an exception, so that files being written are removed
    on the way out (like KeyboardInterrupt, it is not an Exception: nothing catches it by accident)."""


@contextlib.contextmanager
def _stop_signals_raise():
    """While a command runs, SIGTERM and SIGHUP raise Stopped instead of ending the process at once."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, _frame):
        raise Stopped(signal.Signals(signum).name)

    sigs = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
    old = {s: signal.signal(getattr(signal, s), stop) for s in sigs}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(getattr(signal, s), h)


if __name__ == "__main__":
    sys.exit(main())
