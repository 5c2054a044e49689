"""LibreOffice, headless: open, recalculate, read back and render workbooks in a real spreadsheet application.

No Excel runs on a Linux server, so LibreOffice Calc is the nearest independent check that a workbook
opens, that its native formulas compute what Python computed, and what it looks like when printed.

Every call runs ``soffice`` in a private profile (a temporary ``-env:UserInstallation``), never the
user's own, with two settings in its ``registrymodifications.xcu``:

* ``/org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode`` = 0 ("always recalculate") when
  ``recalc=True``, or 1 ("never", show the values cached in the file) when ``recalc=False``.
  LibreOffice's default for .xlsx is "never": without this it only repeats the cached values.
* ``/org.openoffice.Office.Common/Security/Scripting/MacroSecurityLevel`` = 3: macros never run.

Functions (all take ``timeout`` in seconds; a hung ``soffice`` is killed with its process group):

``find_soffice() -> str | None``; ``unavailable_reason() -> str | None`` (None when LibreOffice and
poppler's ``pdftotext``/``pdfinfo``/``pdftoppm`` are all present).
``convert(src, fmt, outdir, *, recalc=True) -> Path``: ``soffice --convert-to fmt``; raises
``OfficeError`` with LibreOffice's own output when the file could not be loaded or written.
``to_pdf(src, outdir, *, recalc=True) -> Path``.
``recalculated_values(src, *, recalc=True) -> {sheet: {cell: value}}``: every cell's value as
LibreOffice computed it (numbers, text, booleans, error strings such as ``"#NAME?"``), read from a
throw-away .xlsx that LibreOffice wrote. That copy is deleted; it must never be shipped (LibreOffice
rewrites formulas it does not know in lower case).
``pdf_text(pdf) -> str`` (``pdftotext -layout``), ``pdf_page_sizes(pdf) -> [(w, h) pt]``,
``is_a4(size)``, ``render_png(pdf, out_prefix, *, dpi=70, first=1, last=None) -> [Path]``.
``render_workbook(src, outdir, *, pages=None, dpi=80) -> {"pdf", "png", "sizes"}`` and the command
``main_render(argv)`` (``xlkg render WORKBOOK -o DIR --pages 1,3``): pictures of what an economist sees.
``ERROR_MARKERS``: the error texts that must not appear where a result belongs;
``error_cells(values)`` lists the cells holding an error value.
``compare_with_libreoffice(src, *, custom_functions=()) -> {"native_checked", "cached_checked", "mismatches"}``:
LibreOffice recalculates every native formula (one that neither calls a function in `custom_functions`
nor reads, directly or through names and other formulas, a cell that does) and must find the values
cached in the file; and, showing cached values, it must display every formula's cached value.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import warnings
from pathlib import Path

__all__ = [
    "OfficeError",
    "ERROR_MARKERS",
    "A4_PT",
    "find_soffice",
    "unavailable_reason",
    "convert",
    "to_pdf",
    "recalculated_values",
    "pdf_text",
    "pdf_page_sizes",
    "is_a4",
    "render_png",
    "error_cells",
    "formula_cells",
    "native_formula_cells",
    "compare_with_libreoffice",
    "values_only_copy",
    "render_workbook",
    "main_render",
]

ERROR_MARKERS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NULL!", "Err:")
_ERRORS = {"#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NULL!", "#N/A"}
A4_PT = (595.28, 841.89)
DEFAULT_TIMEOUT = 180


class OfficeError(RuntimeError):
    """LibreOffice or poppler failed; the message carries the command's own output."""


def find_soffice() -> str | None:
    """Path of LibreOffice's ``soffice`` (or ``libreoffice``), or None."""
    for name in ("soffice", "libreoffice"):
        p = shutil.which(name)
        if p:
            return p
    for p in ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
              "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.path.exists(p):
            return p
    return None


def unavailable_reason() -> str | None:
    """Why the LibreOffice checks cannot run here, or None when they can."""
    missing = []
    if find_soffice() is None:
        missing.append("LibreOffice (soffice; Debian package libreoffice-calc-nogui)")
    for tool in ("pdftotext", "pdfinfo", "pdftoppm"):
        if shutil.which(tool) is None:
            missing.append(f"{tool} (package poppler-utils)")
            break
    return "not installed: " + ", ".join(missing) if missing else None


# ---------------------------------------------------------------------------------------------- profile

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""

_profiles: dict[bool, Path] = {}
_values_cache: dict[tuple, dict] = {}  # (path, size, mtime, recalc) -> values: one conversion per file state
_lock = threading.Lock()  # one soffice at a time per process: a profile cannot be shared concurrently


def _profile(recalc: bool) -> Path:
    """A private LibreOffice profile for this process (kept for the process's lifetime, reused)."""
    p = _profiles.get(recalc)
    if p is not None and p.exists():
        return p
    root = Path(tempfile.mkdtemp(prefix="xlkg-lo-"))
    atexit.register(shutil.rmtree, root, True)
    user = root / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(_XCU.format(mode=0 if recalc else 1), encoding="utf-8")
    _profiles[recalc] = root
    return root


def _run(cmd: list[str], *, timeout: float, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a command in its own process group; on timeout kill that group and raise OfficeError."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        raise OfficeError(f"{Path(cmd[0]).name} did not finish within {timeout:.0f} s: {' '.join(cmd[1:])}") from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


# ---------------------------------------------------------------------------------------------- converting


def convert(src, fmt: str, outdir, *, recalc: bool = True, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Convert `src` with ``soffice --headless --convert-to fmt``; returns the written file.

    `fmt` is LibreOffice's target, e.g. ``"pdf"``, ``"xlsx"``, ``"csv"`` or ``"pdf:calc_pdf_Export"``.
    """
    soffice = find_soffice()
    if soffice is None:
        raise OfficeError(unavailable_reason() or "LibreOffice not found")
    src = Path(src).resolve()
    if not src.is_file():
        raise OfficeError(f"{src.name}: no such file")
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    ext = fmt.split(":", 1)[0]
    target = outdir / (src.stem + "." + ext)
    if target.exists():
        target.unlink()
    with _lock:
        profile = _profile(recalc)
        env = dict(os.environ, HOME=str(profile), SAL_USE_VCLPLUGIN="svp")
        res = _run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
                    "--norestore", "--nolockcheck", "--nodefault", "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   timeout=timeout, env=env)
    if res.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        raise OfficeError(
            f"LibreOffice could not convert {src.name} to {ext} (exit {res.returncode}): "
            + (res.stderr.strip() or res.stdout.strip() or "no output")
        )
    return target


def to_pdf(src, outdir, *, recalc: bool = True, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Print the whole workbook to PDF as LibreOffice lays it out (page setup of each sheet)."""
    return convert(src, "pdf", outdir, recalc=recalc, timeout=timeout)


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


# ---------------------------------------------------------------------------------------------- PDF


def pdf_text(pdf, *, layout: bool = True, timeout: float = 60) -> str:
    """The text of a PDF (poppler's pdftotext; ``-layout`` keeps table columns on one line)."""
    cmd = ["pdftotext"] + (["-layout"] if layout else []) + ["-enc", "UTF-8", str(pdf), "-"]
    res = _run(cmd, timeout=timeout)
    if res.returncode != 0:
        raise OfficeError(f"pdftotext failed on {Path(pdf).name}: {res.stderr.strip()}")
    return res.stdout


def pdf_page_sizes(pdf, *, timeout: float = 60) -> list[tuple[float, float]]:
    """Width and height in points of every page (pdfinfo)."""
    res = _run(["pdfinfo", str(pdf)], timeout=timeout)
    if res.returncode != 0:
        raise OfficeError(f"pdfinfo failed on {Path(pdf).name}: {res.stderr.strip()}")
    m = re.search(r"^Pages:\s+(\d+)", res.stdout, re.M)
    n = int(m.group(1)) if m else 0
    res = _run(["pdfinfo", "-f", "1", "-l", str(max(n, 1)), str(pdf)], timeout=timeout)
    sizes = [(float(a), float(b)) for a, b in re.findall(r"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", res.stdout, re.M)]
    if len(sizes) != n:
        raise OfficeError(f"pdfinfo reported {n} pages of {Path(pdf).name} but {len(sizes)} sizes")
    return sizes


def is_a4(size: tuple[float, float], *, tol: float = 2.0) -> bool:
    """True for an A4 page, portrait or landscape (595 x 842 pt)."""
    w, h = sorted(size)
    return abs(w - A4_PT[0]) <= tol and abs(h - A4_PT[1]) <= tol


def render_png(pdf, out_prefix, *, dpi: int = 70, first: int = 1, last: int | None = None,
               timeout: float = 120) -> list[Path]:
    """Render pages of a PDF to PNG files ``<out_prefix>-<n>.png`` (pdftoppm); returns them in order."""
    out_prefix = Path(out_prefix)
    out_prefix.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(first)] + (["-l", str(last)] if last else []) + [str(pdf), str(out_prefix)]
    res = _run(cmd, timeout=timeout)
    if res.returncode != 0:
        raise OfficeError(f"pdftoppm failed on {Path(pdf).name}: {res.stderr.strip()}")
    pat = re.compile(re.escape(out_prefix.name) + r"-(\d+)\.png$")
    pages = sorted((int(m.group(1)), p) for p in out_prefix.parent.iterdir() if (m := pat.match(p.name)))
    return [p for _, p in pages]


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


def _load(src, *, data_only: bool):
    """The workbook read by openpyxl (reading only; its warnings about ignored extensions are silenced)."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(src, data_only=data_only)


def formula_cells(src) -> dict[str, dict[str, dict]]:
    """{sheet: {cell: {"formula", "cached", "master"}}} for every formula cell, array ranges included.

    Read with openpyxl (read-only use); `master` is the cell holding an array formula's text.
    """
    return _formula_cells(_load(src, data_only=False), _load(src, data_only=True))


def _formula_cells(wf, wv) -> dict[str, dict[str, dict]]:
    """`formula_cells` of a workbook loaded with its formulas (`wf`) and with its cached values (`wv`)."""
    from openpyxl.worksheet.formula import ArrayFormula

    out: dict[str, dict[str, dict]] = {}
    for ws in wf.worksheets:
        vs = wv[ws.title]
        cells: dict[str, dict] = {}
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if isinstance(v, ArrayFormula):
                    for rr in ws[v.ref] if ":" in v.ref else ((ws[v.ref],),):
                        for cc in rr:
                            cells[cc.coordinate] = {"formula": v.text, "cached": vs[cc.coordinate].value,
                                                    "master": c.coordinate, "is_array": True}
                elif isinstance(v, str) and v.startswith("=") and c.data_type == "f":
                    cells.setdefault(c.coordinate, {"formula": v, "cached": vs[c.coordinate].value,
                                                    "master": c.coordinate, "is_array": False})
        out[ws.title] = cells
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

    wf = _load(src, data_only=False)  # formulas and defined names from one reading of the file
    cells = _formula_cells(wf, _load(src, data_only=True))
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


def values_only_copy(src, dst) -> Path:
    """A copy of `src` whose formulas are replaced by their cached values, for rendering only.

    LibreOffice cannot compute xlkg's worksheet functions and recomputes array formulas on load, so a
    picture of a workbook holding them is taken from this copy. It is a picture source, never a
    deliverable (the formulas are gone).
    """
    from xlkg.xlsx import patch_workbook

    writes: dict[str, dict] = {}
    for sheet, cells in formula_cells(src).items():
        for ref, info in cells.items():
            v = info["cached"]
            if isinstance(v, float) and v != v:
                v = None
            writes.setdefault(sheet, {})[ref] = v
    patch_workbook(src, dst, writes, replace_formulas=True, overwrite=False)
    return Path(dst)


# ---------------------------------------------------------------------------------------------- pictures


def _page_list(spec: str | None, n: int) -> list[int]:
    if not spec:
        return list(range(1, n + 1))
    pages: list[int] = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        lo, hi = int(a), int(b or a)
        pages.extend(p for p in range(lo, hi + 1) if 1 <= p <= n)
    return pages


def render_workbook(src, outdir, *, pages: str | None = None, dpi: int = 80, name: str | None = None,
                    timeout: float = DEFAULT_TIMEOUT) -> dict:
    """Print a workbook to PDF and PNG pictures as an economist would see it.

    Formulas are replaced by their cached values in a throw-away copy first (LibreOffice cannot run
    xlkg's worksheet functions), so run ``xlkg recalc`` on a workbook that holds them. Writes
    ``<name>.pdf`` and ``<name>-<page>.png`` into `outdir`; returns {"pdf", "png": [...], "sizes"}.
    """
    src = Path(src)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    name = name or src.stem
    with tempfile.TemporaryDirectory(prefix="xlkg-render-") as tmp:
        copy = values_only_copy(src, Path(tmp) / (name + src.suffix.lower()))
        pdf_tmp = to_pdf(copy, Path(tmp) / "pdf", recalc=False, timeout=timeout)
        pdf = outdir / (name + ".pdf")
        shutil.copyfile(pdf_tmp, pdf)
    sizes = pdf_page_sizes(pdf)
    pngs = []
    for p in _page_list(pages, len(sizes)):
        for old in outdir.glob(f"{name}-p{p}-*.png"):
            old.unlink()
        got = render_png(pdf, outdir / f"{name}-p{p}", dpi=dpi, first=p, last=p, timeout=timeout)
        final = outdir / f"{name}-{p}.png"
        got[0].replace(final)
        pngs.append(final)
    return {"pdf": pdf, "png": pngs, "sizes": sizes}


def main_render(argv: list[str] | None = None) -> int:
    """``xlkg render WORKBOOK [-o DIR] [--pages 1,3-4] [--dpi 80]``: PDF and PNG pictures via LibreOffice."""
    import argparse

    ap = argparse.ArgumentParser(prog="xlkg render", description=main_render.__doc__)
    ap.add_argument("workbook")
    ap.add_argument("-o", "--output", default=".", help="folder for the PDF and the PNG pictures")
    ap.add_argument("--pages", default=None, help="pages to picture, e.g. 1 or 1,3-4 (default: all)")
    ap.add_argument("--dpi", type=int, default=80)
    ap.add_argument("--name", default=None, help="base name of the files (default: the workbook's)")
    args = ap.parse_args(argv)
    reason = unavailable_reason()
    if reason:
        print(f"xlkg render needs LibreOffice and poppler-utils: {reason}")
        return 2
    try:
        res = render_workbook(args.workbook, args.output, pages=args.pages, dpi=args.dpi, name=args.name)
    except (OfficeError, ValueError) as exc:
        print(f"xlkg render: {exc}")
        return 1
    a4 = all(is_a4(s) for s in res["sizes"])
    print(f"wrote {res['pdf']} ({len(res['sizes'])} pages{', A4' if a4 else ', NOT all A4'}) and "
          + ", ".join(p.name for p in res["png"]))
    return 0
