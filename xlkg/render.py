"""`xlkg render`: print a workbook to PDF and PNG pictures through LibreOffice, headless (what an
economist sees when printing it).

Every call runs ``soffice`` in a private profile (a temporary ``-env:UserInstallation``), never the
user's own, with two settings in its ``registrymodifications.xcu``:

* ``/org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode`` = 0 ("always recalculate") when
  ``recalc=True``, or 1 ("never", show the values cached in the file) when ``recalc=False``.
  LibreOffice's default for .xlsx is "never": without this it only repeats the cached values.
* ``/org.openoffice.Office.Common/Security/Scripting/MacroSecurityLevel`` = 3: macros never run.

Functions (all take ``timeout`` in seconds; a hung ``soffice`` is killed with its process group):

``find_soffice() -> str | None``; ``unavailable_reason() -> str | None`` (None when LibreOffice and
poppler's ``pdftotext``/``pdfinfo``/``pdftoppm`` are all present); ``run_tool(cmd)``.
``convert(src, fmt, outdir, *, recalc=True) -> Path``: ``soffice --convert-to fmt``; raises
``OfficeError`` with LibreOffice's own output when the file could not be loaded or written.
``to_pdf(src, outdir, *, recalc=True) -> Path``.
``pdf_page_sizes(pdf) -> [(w, h) pt]``, ``is_a4(size)``,
``render_png(pdf, out_prefix, *, dpi=70, first=1, last=None) -> [Path]``.
``formula_cells(src)``: every formula cell with its cached value; ``values_only_copy(src, dst)``.
``render_workbook(src, outdir, *, pages=None, dpi=80) -> {"pdf", "png", "sizes"}``: pictures of what an
economist sees (the command ``xlkg render`` in xlkg.cli prints what it wrote).

The checks of workbooks against LibreOffice that the tests use live with the tests (tests/support/office.py).
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

from xlkg.core.result import InputError

__all__ = [
    "OfficeError",
    "A4_PT",
    "DEFAULT_TIMEOUT",
    "find_soffice",
    "unavailable_reason",
    "run_tool",
    "convert",
    "to_pdf",
    "pdf_page_sizes",
    "is_a4",
    "render_png",
    "load",
    "formula_cells",
    "formula_cells_from",
    "values_only_copy",
    "render_workbook",
]

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


def run_tool(cmd: list[str], *, timeout: float, env: dict | None = None) -> subprocess.CompletedProcess:
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
        res = run_tool([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
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


# ---------------------------------------------------------------------------------------------- PDF


def pdf_page_sizes(pdf, *, timeout: float = 60) -> list[tuple[float, float]]:
    """Width and height in points of every page (pdfinfo)."""
    res = run_tool(["pdfinfo", str(pdf)], timeout=timeout)
    if res.returncode != 0:
        raise OfficeError(f"pdfinfo failed on {Path(pdf).name}: {res.stderr.strip()}")
    m = re.search(r"^Pages:\s+(\d+)", res.stdout, re.M)
    n = int(m.group(1)) if m else 0
    res = run_tool(["pdfinfo", "-f", "1", "-l", str(max(n, 1)), str(pdf)], timeout=timeout)
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
    res = run_tool(cmd, timeout=timeout)
    if res.returncode != 0:
        raise OfficeError(f"pdftoppm failed on {Path(pdf).name}: {res.stderr.strip()}")
    pat = re.compile(re.escape(out_prefix.name) + r"-(\d+)\.png$")
    pages = sorted((int(m.group(1)), p) for p in out_prefix.parent.iterdir() if (m := pat.match(p.name)))
    return [p for _, p in pages]


# ---------------------------------------------------------------------------------------------- formulas


def load(src, *, data_only: bool):
    """The workbook read by openpyxl (reading only; its warnings about ignored extensions are silenced)."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(src, data_only=data_only)


def formula_cells(src) -> dict[str, dict[str, dict]]:
    """{sheet: {cell: {"formula", "cached", "master"}}} for every formula cell, array ranges included.

    Read with openpyxl (read-only use); `master` is the cell holding an array formula's text.
    """
    return formula_cells_from(load(src, data_only=False), load(src, data_only=True))


def formula_cells_from(wf, wv) -> dict[str, dict[str, dict]]:
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
        try:
            lo, hi = int(a), int(b or a)
        except ValueError:
            raise InputError(f"--pages: '{spec}' is not a list of pages such as 1 or 1,3-4") from None
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
