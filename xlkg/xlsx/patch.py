"""Writing cell values into an existing workbook without losing anything else in it (see xlkg.xlsx)."""

from __future__ import annotations

import datetime as _dt
import decimal
import math
import numbers
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np

from xlkg.output import check_destination, same_file, writing

from .errors import EXCEL_ERRORS, XlsxPatchError
from .package import Package, open_package, part_rels, read_zip, sheet_part
from .refs import col_letter, range_bounds, range_text, split_ref
from .xmltext import (
    NS_MAIN,
    NS_R,
    REL_CALCCHAIN,
    XmlCell,
    attr,
    cell_at,
    decode_part,
    encode_part,
    esc_attr,
    esc_text,
    parse_attrs,
    parse_sheet,
    row_cells,
    unescape,
)


@dataclass(frozen=True)
class Cached:
    """Keep the cell's formula and store `value` as its cached (last computed) result."""

    value: object


@dataclass(frozen=True)
class Text:
    """Write `value` as literal text even when it looks like an Excel error such as "#N/A"."""

    value: str


@dataclass
class PatchReport:
    dst: Path
    changed_parts: list[str] = field(default_factory=list)
    removed_parts: list[str] = field(default_factory=list)
    cells_written: int = 0
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# values -> XML


def _num_text(x: float, where: str) -> str:
    if isinstance(x, np.floating) and x.dtype.itemsize < 8:
        x = float(str(x))  # a float32 0.1 is written as 0.1, not as its binary expansion
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        raise XlsxPatchError(f"{where}: {x} cannot be stored in a cell; write None (blank) or '#N/A'")
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)|\r")


def _str_text(s: str, where: str) -> str:
    if len(s) > 32767:
        raise XlsxPatchError(f"{where}: text of {len(s)} characters exceeds Excel's 32,767 per cell")
    # OOXML escapes characters XML cannot carry as _xHHHH_ (and a literal "_x0041_" as "_x005F_x0041_")
    s = _CTRL_RE.sub(lambda m: "_x005F_" if m.group(0) == "_" else "_x%04X_" % ord(m.group(0)), s)
    return esc_text(s)


def _classify(value, where: str, date1904: bool) -> tuple[str | None, str | None, bool]:
    """-> (t attribute or None, value xml or None, is_inline_string)."""
    if value is None:
        return None, None, False
    if isinstance(value, Text):
        return "inlineStr", _str_text(str(value.value), where), True
    if isinstance(value, (bool, np.bool_)):
        return "b", "1" if bool(value) else "0", False
    if isinstance(value, str):
        if value in EXCEL_ERRORS:
            return "e", value, False
        return "inlineStr", _str_text(value, where), True
    if isinstance(value, _dt.datetime) or isinstance(value, _dt.date):
        return None, _num_text(_date_serial(value, date1904), where), False
    if isinstance(value, (numbers.Real, decimal.Decimal)):
        return None, _num_text(value, where), False
    raise XlsxPatchError(f"{where}: cannot write a value of type {type(value).__name__} ({value!r})")


def _date_serial(value, date1904: bool) -> float:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        base = _dt.datetime(1904, 1, 1) if date1904 else _dt.datetime(1899, 12, 30)
        serial = (value - base).total_seconds() / 86400.0
    else:
        base = _dt.date(1904, 1, 1) if date1904 else _dt.date(1899, 12, 30)
        serial = float((value - base).days)
    if not date1904 and serial < 61:
        # Excel's 1900 system counts a non-existent 29 Feb 1900; dates before March 1900 are off by one
        serial -= 1
    return serial


def _cached_xml(value, where: str) -> tuple[str | None, str | None]:
    """Cached result of a formula -> (t, <v> text)."""
    if value is None:
        return None, None
    if isinstance(value, Text):
        return "str", _str_text(str(value.value), where)
    if isinstance(value, (bool, np.bool_)):
        return "b", "1" if bool(value) else "0"
    if isinstance(value, str):
        if value in EXCEL_ERRORS:
            return "e", value
        return "str", _str_text(value, where)
    if isinstance(value, (numbers.Real, decimal.Decimal)):
        return None, _num_text(value, where)
    raise XlsxPatchError(f"{where}: cannot store a cached value of type {type(value).__name__} ({value!r})")


def _start_tag(tag: str, attrs: list[tuple[str, str]], empty: bool = False) -> str:
    a = "".join(f" {k}={v}" for k, v in attrs)
    return f"<{tag}{a}{'/' if empty else ''}>"


def _set_attr(attrs: list[tuple[str, str]], name: str, value: str | None) -> list[tuple[str, str]]:
    out, done = [], False
    for k, v in attrs:
        if k == name:
            if value is not None and not done:
                out.append((k, f'"{esc_attr(value)}"'))
                done = True
        else:
            out.append((k, v))
    if value is not None and not done:
        out.append((name, f'"{esc_attr(value)}"'))
    return out


# --------------------------------------------------------------------------------------------------
# the sheet patcher


def _sheet_objects(zf: zipfile.ZipFile, part: str) -> list[tuple[str, str, tuple, int, list]]:
    """Tables and pivot tables on a worksheet: (kind, name, bounds, header rows, column names)."""
    out = []
    for _id, typ, tgt, mode in part_rels(zf, part):
        if mode == "External" or typ not in (NS_R + "/table", NS_R + "/pivotTable"):
            continue
        try:
            root = ET.fromstring(zf.read(tgt))
        except (KeyError, ET.ParseError):
            continue
        if typ == NS_R + "/table":
            ref = root.get("ref")
            if not ref:
                continue
            cols = [c.get("name") for c in root.iter("{%s}tableColumn" % NS_MAIN)]
            out.append(("table", root.get("displayName") or root.get("name") or tgt, range_bounds(ref, where=tgt),
                        int(root.get("headerRowCount", "1")), cols))
        else:
            loc = root.find("{%s}location" % NS_MAIN)
            if loc is not None and loc.get("ref"):
                out.append(("pivot", root.get("name") or tgt, range_bounds(loc.get("ref"), where=tgt), 0, []))
    return out


def _check_objects(sheet_name: str, objects, writes: dict) -> None:
    for ref, value in writes.items():
        r, c = split_ref(ref, where=f"sheet {sheet_name!r}")
        for kind, name, (r1, c1, r2, c2), header, cols in objects:
            if not (r1 <= r <= r2 and c1 <= c <= c2):
                continue
            rng = range_text((r1, c1, r2, c2))
            where = f"sheet {sheet_name!r}, cell {col_letter(c)}{r}"
            if kind == "pivot":
                raise XlsxPatchError(f"{where}: lies inside the pivot table {name!r} ({rng}); refresh the pivot table instead")
            if header and r < r1 + header:
                current = cols[c - c1] if c - c1 < len(cols) else None
                if not (isinstance(value, str) and value == current):
                    raise XlsxPatchError(
                        f"{where}: is a header of the table {name!r} ({rng}); its text must stay {current!r} "
                        "(the table's column names are stored separately)"
                    )


def _patch_sheet(sheet_name: str, part: str, data: bytes, writes: dict, *, replace_formulas: bool, date1904: bool):
    text, enc, bom = decode_part(data)
    sh = parse_sheet(text, part)
    p = sh.prefix

    # normalise targets
    targets: dict[tuple[int, int], object] = {}
    for ref, value in writes.items():
        where = f"sheet {sheet_name!r}, cell {ref}"
        rc = split_ref(ref, where=f"sheet {sheet_name!r}")
        if rc in targets:
            raise XlsxPatchError(f"{where}: written twice (as {ref!r} and another spelling)")
        targets[rc] = value

    rows_by_r = {row.r: row for row in sh.rows}
    existing: dict[tuple[int, int], XmlCell] = {}
    for r in {r for r, _c in targets}:
        if r in rows_by_r:
            for c in row_cells(text, rows_by_r[r], part):
                existing[(c.row, c.col)] = c

    # merged ranges
    for (r, c) in targets:
        for (r1, c1, r2, c2) in sh.merges:
            if r1 <= r <= r2 and c1 <= c <= c2 and (r, c) != (r1, c1):
                rng = range_text((r1, c1, r2, c2))
                raise XlsxPatchError(
                    f"sheet {sheet_name!r}, cell {col_letter(c)}{r}: lies inside the merged range {rng}; "
                    f"write to its top-left cell {col_letter(c1)}{r1} instead"
                )

    # array formulas (and data tables) anywhere in the sheet: found by their <f t="array" ref=...>
    arrays = []  # (bounds, master cell, kind)
    f_re = re.compile(r"<" + re.escape(p) + r"f\s[^>]*?\bt\s*=\s*[\"'](array|dataTable)[\"']")
    for m in f_re.finditer(text, sh.sd_inner_start, sh.sd_inner_end):
        c = cell_at(sh, m.start(), part)
        if c is None or c.f_attrs is None:
            continue
        ref = attr(c.f_attrs, "ref") or c.ref
        arrays.append((range_bounds(ref, where=f"{part} array formula"), c, m.group(1)))

    def shared_group(si: str) -> list[tuple[int, int]]:
        """Cells sharing the formula `si` (read only when a shared formula's master is overwritten)."""
        out = []
        si_re = re.compile(r"<" + re.escape(p) + r"f\s[^>]*?\bsi\s*=\s*[\"']" + re.escape(si) + r"[\"']")
        for m in si_re.finditer(text, sh.sd_inner_start, sh.sd_inner_end):
            c = cell_at(sh, m.start(), part)
            if c is not None and c.f_attrs is not None and attr(c.f_attrs, "t") == "shared":
                out.append((c.row, c.col))
        return out

    def in_array(rc):
        for b, master, ft in arrays:
            if b[0] <= rc[0] <= b[2] and b[1] <= rc[1] <= b[3]:
                return b, master, ft
        return None

    removed_formula = False
    drop_array_masters: set[tuple[int, int]] = set()
    for rc, value in targets.items():
        where = f"sheet {sheet_name!r}, cell {col_letter(rc[1])}{rc[0]}"
        arr = in_array(rc)
        cell = existing.get(rc)
        if isinstance(value, Cached):
            if (cell is None or cell.f_attrs is None) and arr is None:
                raise XlsxPatchError(f"{where}: holds no formula, so it has no cached value to set; write a plain value instead")
            continue
        if arr is not None:
            b, master, ft = arr
            rng = range_text(b)
            kind = "an array formula" if ft == "array" else "a data table"
            if not replace_formulas:
                raise XlsxPatchError(
                    f"{where}: belongs to {kind} over {rng} (entered in {master.ref}); "
                    "pass Cached(value) to set its result, or replace_formulas=True to overwrite the whole range"
                )
            covered = all((r, c) in targets and not isinstance(targets[(r, c)], Cached)
                          for r in range(b[0], b[2] + 1) for c in range(b[1], b[3] + 1))
            if not covered:
                raise XlsxPatchError(
                    f"{where}: overwrites only part of {kind} over {rng}; Excel cannot change part of an array — "
                    "write every cell of the range or none"
                )
            drop_array_masters.add((master.row, master.col))
            removed_formula = True
        elif cell is not None and cell.f_attrs is not None:
            if not replace_formulas:
                raise XlsxPatchError(
                    f"{where}: holds the formula ={unescape(cell.f_inner or '')}; writing a value would delete it. "
                    "Pass Cached(value) to keep the formula and set its result, or replace_formulas=True to overwrite it"
                )
            si = attr(cell.f_attrs, "si")
            if attr(cell.f_attrs, "t") == "shared" and attr(cell.f_attrs, "ref"):
                others = [m for m in shared_group(si) if m != rc and (m not in targets or isinstance(targets[m], Cached))]
                if others:
                    b = range_bounds(attr(cell.f_attrs, "ref"), where=f"{part} shared formula")
                    raise XlsxPatchError(
                        f"{where}: holds the formula that cells of {range_text(b)} share "
                        f"(e.g. {col_letter(others[0][1])}{others[0][0]}); overwrite those cells too, or write elsewhere"
                    )
            removed_formula = True

    # build edits
    edits: list[tuple[int, int, str]] = []
    new_rows: dict[int, list] = {}
    for (r, c), value in sorted(targets.items()):
        where = f"sheet {sheet_name!r}, cell {col_letter(c)}{r}"
        cell = existing.get((r, c))
        if cell is not None:
            edits.append((cell.start, cell.end, _cell_xml(cell.tag, cell.attrs, cell, value, where, p, date1904,
                                                          drop_array=(r, c) in drop_array_masters)))
        else:
            row = rows_by_r.get(r)
            style = None
            if row is not None and attr(row.attrs, "customFormat") in ("1", "true"):
                style = attr(row.attrs, "s")
            if style is None:
                for lo, hi, st in sh.col_styles:
                    if lo <= c <= hi:
                        style = st
                        break
            attrs = [("r", f'"{col_letter(c)}{r}"')]
            if style and style != "0":
                attrs.append(("s", f'"{style}"'))
            xml = _cell_xml(p + "c", attrs, None, value, where, p, date1904)
            if xml:
                new_rows.setdefault(r, []).append((c, xml))

    for r, cells in new_rows.items():
        row = rows_by_r.get(r)
        if row is None:
            continue
        cols = [c for c, _ in cells]
        # widen spans when present and simple
        spans = attr(row.attrs, "spans")
        attrs = row.attrs
        if spans and re.fullmatch(r"\d+:\d+", spans):
            lo, hi = (int(x) for x in spans.split(":"))
            lo2, hi2 = min([lo] + cols), max([hi] + cols)
            if (lo2, hi2) != (lo, hi):
                attrs = _set_attr(attrs, "spans", f"{lo2}:{hi2}")
        if row.empty:
            body = "".join(x for _, x in cells)
            edits.append((row.start, row.end, _start_tag(row.tag, attrs) + body + f"</{row.tag}>"))
            continue
        if attrs is not row.attrs:
            edits.append((row.start, row.start_tag_end, _start_tag(row.tag, attrs)))
        # insertion points: before the first existing cell with a larger column, else before </row>
        groups: dict[int, list[str]] = {}
        for c, xml in cells:
            pos = row.end_tag_start
            for ec in row.cells:
                if ec.col > c:
                    pos = ec.start
                    break
            groups.setdefault(pos, []).append(xml)
        for pos, xs in groups.items():
            edits.append((pos, pos, "".join(xs)))

    missing_rows = sorted(r for r in new_rows if r not in rows_by_r)
    if missing_rows:
        groups = {}
        for r in missing_rows:
            cols = [c for c, _ in new_rows[r]]
            pos = None
            for row in sh.rows:
                if row.r > r:
                    pos = row.start
                    break
            if pos is None:
                pos = sh.sd_inner_end
            xml = f'<{p}row r="{r}">' + "".join(x for _, x in new_rows[r]) + f"</{p}row>"
            groups.setdefault(pos, []).append(xml)
        if sh.sd_empty:
            tag_text = text[sh.sd_start:sh.sd_end]
            open_tag = tag_text[:-2].rstrip() + ">"
            edits.append((sh.sd_start, sh.sd_end, open_tag + "".join(groups[sh.sd_inner_end]) + f"</{p}sheetData>"))
        else:
            for pos, xs in groups.items():
                edits.append((pos, pos, "".join(xs)))

    # dimension hint
    if sh.dim_span is not None and targets:
        rs = [r for (r, c), v in targets.items() if v is not None]
        cs = [c for (r, c), v in targets.items() if v is not None]
        if rs:
            try:
                b = range_bounds(sh.dim_ref, where="dimension")
                nb = (min(b[0], min(rs)), min(b[1], min(cs)), max(b[2], max(rs)), max(b[3], max(cs)))
            except XlsxPatchError:
                b = None
                nb = (min(rs), min(cs), max(rs), max(cs))
            if nb != b:
                if sh.dim_ref in ("A1", "") and not sh.rows:
                    nb = (min(rs), min(cs), max(rs), max(cs))
                new = f"{col_letter(nb[1])}{nb[0]}" + ("" if nb[:2] == nb[2:] else f":{col_letter(nb[3])}{nb[2]}")
                edits.append((sh.dim_span[0], sh.dim_span[1], new))

    edits.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for s, e, x in edits:
        if s < pos:
            raise AssertionError("overlapping edits")  # pragma: no cover - internal consistency
        out.append(text[pos:s])
        out.append(x)
        pos = e
    out.append(text[pos:])
    return encode_part("".join(out), enc, bom), removed_formula


def _cell_xml(tag: str, attrs: list, cell: XmlCell | None, value, where: str, p: str, date1904: bool, drop_array=False) -> str:
    attrs = [a for a in attrs if a[0] not in ("t", "vm")]
    children_after = "".join(cell.other_children) if cell is not None else ""
    if isinstance(value, Cached):
        t, v = _cached_xml(value.value, where)
        if t:
            attrs = _set_attr(attrs, "t", t)
        f = cell.f_text if (cell is not None and cell.f_text) else ""
        body = f + (f"<{p}v>{v}</{p}v>" if v is not None else "") + children_after
    else:
        attrs = [a for a in attrs if a[0] != "cm"]  # cell metadata belongs to a (dynamic-array) formula
        t, v, inline = _classify(value, where, date1904)
        if t:
            attrs = _set_attr(attrs, "t", t)
        if v is None:
            body = children_after
        elif inline:
            sp = ' xml:space="preserve"' if v != v.strip() or "\n" in v else ""
            body = f"<{p}is><{p}t{sp}>{v}</{p}t></{p}is>" + children_after
        else:
            body = f"<{p}v>{v}</{p}v>" + children_after
    if not body:
        if [a for a in attrs if a[0] != "r"] or cell is None:
            if cell is None and (value is None or value == Cached(None)):
                return ""  # clearing a cell that does not exist: nothing to write
            return _start_tag(tag, attrs, empty=True)
        return ""  # a bare cleared cell is removed
    return _start_tag(tag, attrs) + body + f"</{tag}>"


# --------------------------------------------------------------------------------------------------
# workbook-level edits


def _set_full_calc(wb_xml: str) -> str:
    m = re.search(r"<((?:\w+:)?)calcPr\b((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>", wb_xml)
    if m:
        attrs = _set_attr(parse_attrs(m.group(2)), "fullCalcOnLoad", "1")
        return wb_xml[: m.start()] + _start_tag(m.group(1) + "calcPr", attrs, empty=bool(m.group(3))) + wb_xml[m.end():]
    mroot = re.search(r"<((?:\w+:)?)workbook\b", wb_xml)
    p = mroot.group(1) if mroot else ""
    for follower in ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                     "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst"):
        mf = re.search(r"<" + re.escape(p) + follower + r"\b", wb_xml)
        if mf:
            return wb_xml[: mf.start()] + f'<{p}calcPr fullCalcOnLoad="1"/>' + wb_xml[mf.start():]
    end = wb_xml.rfind(f"</{p}workbook>")
    return wb_xml[:end] + f'<{p}calcPr fullCalcOnLoad="1"/>' + wb_xml[end:]


def _drop_calc_chain(zf, pkg: Package, new_data: dict, removed: list) -> None:
    rels_xml = zf.read(pkg.wb_rels_part).decode("utf-8-sig") if pkg.wb_rels_part in pkg.names else ""
    chain = None
    for _id, typ, tgt, _m in part_rels(zf, pkg.wb_part):
        if typ == REL_CALCCHAIN:
            chain = tgt
    if chain is None:
        return
    pat = re.compile(r"<Relationship\b[^>]*?Type\s*=\s*\"" + re.escape(REL_CALCCHAIN) + r"\"[^>]*?/>\s*")
    new_rels = pat.sub("", rels_xml)
    new_data[pkg.wb_rels_part] = _reencode(zf.read(pkg.wb_rels_part), new_rels)
    ct = pkg.ct_xml
    ct2 = re.sub(r"<Override\b[^>]*?PartName\s*=\s*\"/" + re.escape(chain) + r"\"[^>]*?/>", "", ct)
    new_data["[Content_Types].xml"] = _reencode(zf.read("[Content_Types].xml"), ct2)
    if chain in pkg.names:
        removed.append(chain)


def _reencode(original: bytes, text: str) -> bytes:
    return (b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b"") + text.encode("utf-8")


def patch_workbook(src, dst, writes: dict, *, full_calc_on_load: bool = False, replace_formulas: bool = False,
                   overwrite: bool = False, protect=(), check=None, hint: str = "overwrite=True") -> PatchReport:
    """Copy `src` to `dst` with the given cell values written; see the module docstring.

    `dst` is written by `xlkg.output.writing`: refused when it exists (unless `overwrite`; `hint` names
    the switch in the message) or is one of `protect`, created exclusively, with the mode the umask
    gives a new file or the mode of the file it replaces, and flushed to disk before it is put in
    place. `check(temporary_path, report)` inspects the finished copy first; whatever it raises
    cancels the write."""
    src, dst = Path(src), Path(dst)
    if same_file(src, dst) and not overwrite:
        raise XlsxPatchError(f"output {dst.name} is the input workbook itself; choose another file or pass overwrite=True")
    if src.suffix.lower() != dst.suffix.lower():
        raise XlsxPatchError(
            f"output {dst.name} must keep the input's extension {src.suffix!r}: the file type is stored inside the workbook"
        )
    if not isinstance(writes, dict):
        raise XlsxPatchError("writes must be a dict {sheet name: {cell: value}}")
    check_destination(dst, overwrite=overwrite, protect=protect, hint=hint)  # before any work
    report = PatchReport(dst)
    with read_zip(src) as zf:
        pkg = open_package(zf, src)
        new_data: dict[str, bytes] = {}
        removed: list[str] = []
        any_removed_formula = False
        for sheet, cells in writes.items():
            part = sheet_part(pkg, sheet)
            if not isinstance(cells, dict):
                raise XlsxPatchError(f"sheet {sheet!r}: expected a dict {{cell: value}}, got {type(cells).__name__}")
            if not cells:
                continue
            _check_objects(sheet, _sheet_objects(zf, part), cells)
            original = zf.read(part)
            data, removed_formula = _patch_sheet(sheet, part, original, cells,
                                                 replace_formulas=replace_formulas, date1904=pkg.date1904)
            any_removed_formula |= removed_formula
            report.cells_written += len(cells)
            if data != original:
                new_data[part] = data
        if any_removed_formula:
            _drop_calc_chain(zf, pkg, new_data, removed)
            if removed:
                report.notes.append("formulas were replaced: the calculation chain was dropped; Excel rebuilds it")
        if full_calc_on_load:
            wb_text = _set_full_calc(pkg.wb_xml)
            if wb_text != pkg.wb_xml:
                new_data[pkg.wb_part] = _reencode(zf.read(pkg.wb_part), wb_text)

        report.changed_parts = sorted(new_data)
        report.removed_parts = removed
        verify = None if check is None else (lambda tmp: check(tmp, report))
        with writing(dst, overwrite=overwrite, protect=protect, hint=hint, check=verify) as fh:
            with zipfile.ZipFile(fh, "w", allowZip64=True) as zout:
                for info in zf.infolist():
                    if info.filename in removed:
                        continue
                    data = new_data.get(info.filename)
                    if data is None:
                        data = zf.read(info.filename)
                    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    zi.compress_type = info.compress_type
                    zi.external_attr = info.external_attr
                    zi.create_system = info.create_system
                    zi.comment = info.comment
                    zout.writestr(zi, data)
    return report


