"""LibreOffice as an independent check of workbooks, for the tests (not shipped with xlkg).

No Excel runs on a Linux server, so LibreOffice Calc is the nearest independent check that a workbook
opens, that its native formulas compute what Python computed, and what it looks like when printed.
The running of LibreOffice itself (a private profile, macros off, timeouts) is xlkg.render's, and is
re-exported here, so a test needs only `from support import office`.

``recalculated_values(src, *, recalc=True) -> {sheet: {cell: value}}``: every cell's value as
LibreOffice computed it (numbers, text, booleans, error strings such as ``"#NAME?"``), read from a
throw-away .xlsx that LibreOffice wrote. That copy is deleted; it must never be shipped (LibreOffice
rewrites formulas it does not know in lower case).
``pdf_text(pdf) -> str`` (``pdftotext -layout``).
``ERROR_MARKERS``: the error texts that must not appear where a result belongs;
``error_cells(values)`` lists the cells holding an error value.
``compare_with_libreoffice(src, *, custom_functions=()) -> {"native_checked", "cached_checked", "mismatches"}``:
LibreOffice recalculates every native formula (one that neither calls a function in `custom_functions`
nor reads, directly or through names and other formulas, a cell that does) and must find the values
cached in the file; and, showing cached values, it must display every formula's cached value.
``run_basic(workdir, code)``: run a LibreOffice Basic module headless in a private profile.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

from xlkg import render
from xlkg.render import (  # noqa: F401  (re-exported: the tests use one module for LibreOffice)
    A4_PT,
    DEFAULT_TIMEOUT,
    OfficeError,
    find_soffice,
    formula_cells,
    formula_cells_from,
    is_a4,
    load,
    pdf_page_sizes,
    render_png,
    render_workbook,
    run_tool,
    to_pdf,
    unavailable_reason,
    values_only_copy,
)

# What LibreOffice shows for an error (its own "Err:NNN" included), and the error values it writes
# into a file; a subset of xlkg.core.checks.EXCEL_ERRORS plus "Err:".
ERROR_MARKERS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NULL!", "Err:")
_ERRORS = {"#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NULL!", "#N/A"}
_values_cache: dict[tuple, dict] = {}  # (path, size, mtime, recalc) -> values: one conversion per file state


def convert(src, fmt: str, outdir, *, recalc: bool = True, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """xlkg.render.convert, looked up on each call: the test session may route it through a LibreOffice
    kept running (tests/support/office_reuse.py), and every check here converts through it."""
    return render.convert(src, fmt, outdir, recalc=recalc, timeout=timeout)


def recalculated_values(src, *, recalc: bool = True, timeout: float = DEFAULT_TIMEOUT) -> dict[str, dict[str, object]]:
    """{sheet: {cell: value}} as LibreOffice computed them (or, with recalc=False, as it displays them).

    The values come from an .xlsx LibreOffice writes into a temporary folder, read with openpyxl
    (``data_only=True``); the temporary file is deleted.
    """
    import openpyxl

    st = Path(src).stat()
    key = (str(Path(src).resolve()), st.st_size, st.st_mtime_ns, recalc)
    if key in _values_cache:
        return {s: dict(v) for s, v in _values_cache[key].items()}
    with tempfile.TemporaryDirectory(prefix="xlkg-lo-out-") as tmp:
        # a copy with a neutral name, so that LibreOffice's output cannot overwrite the input
        work = Path(tmp) / "in"
        work.mkdir()
        copy = work / ("book" + Path(src).suffix.lower())
        shutil.copyfile(src, copy)
        out = convert(copy, "xlsx:Calc MS Excel 2007 XML", Path(tmp) / "out", recalc=recalc, timeout=timeout)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            wb = openpyxl.load_workbook(out, data_only=True)
        try:
            result = {}
            for ws in wb.worksheets:
                cells = {}
                for row in ws.iter_rows():
                    for c in row:
                        if c.value is not None:
                            cells[c.coordinate] = c.value
                result[ws.title] = cells
            if len(_values_cache) > 32:
                _values_cache.clear()
            _values_cache[key] = result
            return {s: dict(v) for s, v in result.items()}
        finally:
            wb.close()


def pdf_text(pdf, *, layout: bool = True, timeout: float = 60) -> str:
    """The text of a PDF (poppler's pdftotext; ``-layout`` keeps table columns on one line)."""
    cmd = ["pdftotext"] + (["-layout"] if layout else []) + ["-enc", "UTF-8", str(pdf), "-"]
    res = run_tool(cmd, timeout=timeout)
    if res.returncode != 0:
        raise OfficeError(f"pdftotext failed on {Path(pdf).name}: {res.stderr.strip()}")
    return res.stdout


def error_cells(values: dict[str, dict[str, object]], cells: dict[str, list[str]] | None = None) -> list[str]:
    """'Sheet!A1 = #NAME?' for every error value among `values` (restricted to `cells` when given)."""
    out = []
    for sheet, vals in values.items():
        wanted = None if cells is None else set(cells.get(sheet, ()))
        if cells is not None and wanted is None:
            continue
        for ref, v in vals.items():
            if wanted is not None and ref not in wanted:
                continue
            if isinstance(v, str) and (v.upper() in _ERRORS or v.startswith("Err:")):
                out.append(f"{sheet}!{ref} = {v}")
    return out


# ---------------------------------------------------------------------------------------------- formulas

_STR_RE = re.compile(r'"(?:[^"]|"")*"')
_REF_RE = re.compile(
    r"(?:(?P<sheet>'(?:[^']|'')+'|[^\s'!()=+\-*/^&<>,;:{}\"]+)!)?"
    r"(?P<a>\$?[A-Za-z]{1,3}\$?\d+|\$?[A-Za-z]{1,3}(?=:\$?[A-Za-z]{1,3}\b)|\$?\d+(?=:\$?\d+))"
    r"(?::(?P<b>\$?[A-Za-z]{1,3}\$?\d+|\$?[A-Za-z]{1,3}|\$?\d+))?"
)


def _bounds(a: str, b: str | None):
    from openpyxl.utils.cell import column_index_from_string

    def one(x):
        x = x.replace("$", "")
        m = re.fullmatch(r"([A-Za-z]{1,3})?(\d+)?", x)
        col = column_index_from_string(m.group(1).upper()) if m and m.group(1) else None
        row = int(m.group(2)) if m and m.group(2) else None
        return row, col

    r1, c1 = one(a)
    r2, c2 = one(b) if b else (r1, c1)
    return (r1 or 1, c1 or 1, r2 or 1048576, c2 or 16384)


def _references(formula: str, sheet: str, names: dict) -> list[tuple[str, tuple]]:
    """Areas a formula reads: [(sheet, (r1, c1, r2, c2))], defined names expanded (conservative)."""
    text = _STR_RE.sub('""', formula)
    out = []
    for m in _REF_RE.finditer(text):
        sh = m.group("sheet")
        sh = sh[1:-1].replace("''", "'") if sh and sh.startswith("'") else (sh or sheet)
        out.append((sh, _bounds(m.group("a"), m.group("b"))))
    for name, areas in names.items():
        if re.search(r"(?<![\w.])" + re.escape(name) + r"(?![\w.(])", text, re.I):
            out.extend(areas)
    return out


def _defined_areas(wb) -> dict[str, list[tuple[str, tuple]]]:
    """{defined name: [(sheet, bounds)]} of a workbook loaded with its formulas, workbook and sheet scope."""

    def areas(dn):
        return ((sh, _bounds(*(rng.replace("$", "").split(":") + [None])[:2])) for sh, rng in dn.destinations)

    names = {}
    for name, dn in wb.defined_names.items():
        try:
            names[name] = list(areas(dn))
        except Exception:  # a constant or a formula: it reads nothing we track
            names[name] = []
    for ws in wb.worksheets:
        for name, dn in ws.defined_names.items():
            try:
                names.setdefault(name, []).extend(areas(dn))
            except Exception:
                pass
    return names


def native_formula_cells(src, custom_functions) -> tuple[dict[str, dict[str, dict]], dict[str, set[str]]]:
    """Split formula cells into native ones (LibreOffice can compute them) and the rest.

    A cell is not native when its formula calls one of `custom_functions` (Excel's saved prefixes
    ``_xldudf_`` and ``[1]!`` included) or reads, directly or through other formulas or defined names,
    a cell that is not native. Returns (formula_cells(src), {sheet: set of non-native cells}).
    """
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    wf = load(src, data_only=False)  # formulas and defined names from one reading of the file
    cells = formula_cells_from(wf, load(src, data_only=True))
    names = _defined_areas(wf)
    custom = [f for f in custom_functions]
    call_re = re.compile(r"(?:_xldudf_|\[\d+\]!)?\b(?:" + "|".join(re.escape(f) for f in custom) + r")\s*\(", re.I) if custom else None
    tainted: dict[str, set[str]] = {s: set() for s in cells}
    pos: dict[str, dict[str, tuple[int, int]]] = {}
    for s, cs in cells.items():
        pos[s] = {}
        for ref, info in cs.items():
            col, row = coordinate_from_string(ref)
            pos[s][ref] = (row, column_index_from_string(col))
            if call_re is not None and call_re.search(_STR_RE.sub('""', info["formula"])):
                tainted[s].add(ref)
    refs = {(s, ref): _references(info["formula"], s, names) for s, cs in cells.items() for ref, info in cs.items()}
    changed = True
    while changed:
        changed = False
        for (s, ref), areas in refs.items():
            if ref in tainted[s]:
                continue
            master = cells[s][ref]["master"]
            hit = master in tainted[s]
            for sh, (r1, c1, r2, c2) in areas:
                if hit:
                    break
                for t in tainted.get(sh, ()):
                    r, c = pos[sh][t]
                    if r1 <= r <= r2 and c1 <= c <= c2:
                        hit = True
                        break
            if hit:
                tainted[s].add(ref)
                changed = True
    return cells, tainted


def _same(a, b, rel: float, abs_: float) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))
    return a == b


def compare_with_libreoffice(src, *, custom_functions=(), rel: float = 1e-9, abs_: float = 1e-9,
                             timeout: float = DEFAULT_TIMEOUT) -> dict:
    """Check a workbook's cached values against LibreOffice.

    * native formula cells: LibreOffice recalculates them (recalc always) and must find the cached values;
    * all formula cells: LibreOffice, showing cached values (recalc never), must display the cached values.

    LibreOffice (7.4) recomputes array formulas on load even in "never recalculate" mode, so cells of an
    array formula that calls a custom function show ``#NAME?`` there whatever the file caches; they are
    counted in ``custom_array_unchecked`` instead of being compared (use ``values_only_copy`` to render them).

    Returns {"native_checked", "cached_checked", "custom_array_unchecked",
    "mismatches": ["Sheet!B3 (=A1*2): cached 1.0, LibreOffice computes 2.0", ...]}.
    """
    cells, tainted = native_formula_cells(src, custom_functions)
    recalculated = recalculated_values(src, recalc=True, timeout=timeout)
    shown = recalculated_values(src, recalc=False, timeout=timeout)
    mismatches, n_native, n_cached, n_array = [], 0, 0, 0
    for s, cs in cells.items():
        for ref, info in cs.items():
            cached = info["cached"]
            if ref in tainted[s] and info["is_array"]:
                # LibreOffice recomputes array formulas on load even when told to keep cached values,
                # so a custom function in an array formula shows #NAME? there whatever the file holds
                n_array += 1
                continue
            n_cached += 1
            got = shown.get(s, {}).get(ref)
            if not _same(cached, got, rel, abs_):
                mismatches.append(f"{s}!{ref} (={info['formula'].lstrip('=')}): cached {cached!r}, LibreOffice shows {got!r}")
            if ref in tainted[s]:
                continue
            n_native += 1
            got = recalculated.get(s, {}).get(ref)
            if not _same(cached, got, rel, abs_):
                mismatches.append(f"{s}!{ref} (={info['formula'].lstrip('=')}): cached {cached!r}, LibreOffice computes {got!r}")
    return {"native_checked": n_native, "cached_checked": n_cached, "custom_array_unchecked": n_array,
            "mismatches": mismatches}


def run_basic(workdir: Path, code: str, timeout: float = 240) -> str:
    """Run the LibreOffice Basic module `code` (its Sub Main) headless in a private profile; Main writes
    its findings to the file named by the environment variable XLKG_LO_OUT, whose text is returned."""
    soffice = render.find_soffice()
    profile = workdir / "profile"
    out = workdir / "basic_out.txt"
    run = dict(capture_output=True, text=True, timeout=timeout, env=dict(os.environ, XLKG_LO_OUT=str(out)))
    # the first start lays out the profile (with its Basic library "Standard"), then exits
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--terminate_after_init"],
                   **run)
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.exists(), "LibreOffice did not create its Basic library in the private profile"
    module.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
        'script:language="StarBasic">' + html.escape(code, quote=True) + "</script:module>\n", encoding="utf-8")
    res = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                          "macro:///Standard.Module1.Main"], **run)
    assert out.exists(), f"the macro wrote nothing: {res.stderr[-2000:]}"
    return out.read_text(encoding="utf-8")
