"""What a write must keep (inventory, assert_preserved), and the usual causes of Excel's repair prompt (check_package)."""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from xml.etree import ElementTree as ET

from .errors import XlsxPatchError
from .package import open_package, part_rels, read_zip
from .refs import col_letter, range_bounds, range_text, split_ref
from .xmltext import NS_MAIN, NS_R, REL_CALCCHAIN, REL_WORKSHEET, decode_part

# --------------------------------------------------------------------------------------------------
# inventory: what must survive


def inventory(path) -> dict:
    """Everything a write must keep: sheets, defined names, per-sheet counts, parts and their hashes."""
    path = Path(path)
    with read_zip(path) as zf:
        pkg = open_package(zf, path)
        members = {}
        for info in zf.infolist():
            members[info.filename] = hashlib.sha256(zf.read(info.filename)).hexdigest()
        per_sheet = {}
        for name, part, typ, state in pkg.sheets:
            entry = {"part": part, "kind": typ.rsplit("/", 1)[-1] if typ else None, "state": state}
            if part in members and typ == REL_WORKSHEET:
                txt = decode_part(zf.read(part))[0]
                entry.update(
                    data_validations=len(re.findall(r"<(?:\w+:)?dataValidation[\s>]", txt)),
                    conditional_formats=len(re.findall(r"<(?:\w+:)?conditionalFormatting[\s>]", txt)),
                    merged=len(re.findall(r"<(?:\w+:)?mergeCell[\s>/]", txt)),
                    formulas=len(re.findall(r"<(?:\w+:)?f[\s>/]", txt)),
                    drawing=bool(re.search(r"<(?:\w+:)?drawing[\s>/]", txt)),
                )
            per_sheet[name] = entry
        root = ET.fromstring(pkg.wb_xml)
        dnames = sorted(
            (dn.get("name"), dn.get("localSheetId"), (dn.text or "").strip())
            for dn in root.iter("{%s}definedName" % NS_MAIN)
        )
        vba = members.get("xl/vbaProject.bin")
        return {
            "sheets": [s[0] for s in pkg.sheets],
            "sheet_info": per_sheet,
            "defined_names": dnames,
            "charts": sorted(n for n in members if re.match(r"xl/charts/chart[^/]*\.xml$", n)),
            "drawings": sorted(n for n in members if re.match(r"xl/drawings/[^/]*\.xml$", n)),
            "images": sorted(n for n in members if n.startswith("xl/media/")),
            "controls": sorted(n for n in members if n.startswith("xl/ctrlProps/") or n.startswith("xl/activeX/")),
            "vba_sha256": vba,
            "macro_enabled": pkg.macro,
            "members": members,
        }


def assert_preserved(before: dict, after: dict, changed_parts=(), removed_parts=()) -> None:
    """Raise AssertionError naming what was lost or changed outside `changed_parts`/`removed_parts`."""
    problems = []
    changed, removed = set(changed_parts), set(removed_parts)
    for key in ("sheets", "defined_names", "charts", "drawings", "images", "controls", "vba_sha256", "macro_enabled"):
        if before[key] != after[key]:
            problems.append(f"{key}: {before[key]!r} -> {after[key]!r}")
    for sheet, info in before["sheet_info"].items():
        a = after["sheet_info"].get(sheet)
        if a is None:
            problems.append(f"sheet {sheet!r} lost")
            continue
        for k in ("data_validations", "conditional_formats", "merged", "drawing", "kind", "state", "part"):
            if info.get(k) != a.get(k):
                problems.append(f"sheet {sheet!r}: {k} {info.get(k)!r} -> {a.get(k)!r}")
    for name, digest in before["members"].items():
        if name in removed:
            if name in after["members"]:
                problems.append(f"{name}: expected to be removed")
            continue
        if name not in after["members"]:
            problems.append(f"{name}: lost")
        elif name not in changed and after["members"][name] != digest:
            problems.append(f"{name}: changed")
    extra = set(after["members"]) - set(before["members"])
    if extra:
        problems.append(f"new parts: {sorted(extra)}")
    if problems:
        raise AssertionError("workbook not preserved:\n  " + "\n  ".join(problems))


# --------------------------------------------------------------------------------------------------
# structural check: the usual causes of Excel's "We found a problem with some content" repair prompt


def check_package(path) -> list[str]:
    """Problems Excel would repair, found without Excel; an empty list when none.

    Checks: every XML part parses; every content-type override names an existing part and every
    part has a content type; every internal relationship points at an existing part; worksheets
    have rows in ascending order, cells in column order inside their row, no cell twice; shared
    string indices exist; style indices exist in cellXfs; merged ranges do not overlap; array and
    shared formulas carry their ranges; defined names point at existing sheets; the calculation
    chain names only formula cells.
    """
    path = Path(path)
    problems: list[str] = []
    with read_zip(path) as zf:
        pkg = open_package(zf, path)
        names = set(pkg.names)
        parsed: dict[str, ET.Element] = {}  # each part is parsed once

        def xml(part: str) -> ET.Element:
            if part not in parsed:
                parsed[part] = ET.fromstring(zf.read(part))
            return parsed[part]

        for n in pkg.names:
            if n.endswith((".xml", ".rels")):  # (legacy VML drawings are not always XML; not checked)
                try:
                    xml(n)
                except ET.ParseError as exc:
                    problems.append(f"{n}: not well-formed XML ({exc})")
        ct = ET.fromstring(pkg.ct_xml)
        defaults = {el.get("Extension", "").lower() for el in ct if el.tag.endswith("Default")}
        overrides = {el.get("PartName", "").lstrip("/") for el in ct if el.tag.endswith("Override")}
        for part in sorted(overrides - names):
            problems.append(f"[Content_Types].xml names {part}, which the package does not hold")
        for n in pkg.names:
            if n.endswith("/") or n == "[Content_Types].xml":
                continue
            if n not in overrides and n.rsplit(".", 1)[-1].lower() not in defaults:
                problems.append(f"{n}: has no content type")
        for n in pkg.names:
            if not n.endswith(".rels"):
                continue
            d = posixpath.dirname(posixpath.dirname(n))
            src_part = posixpath.join(d, posixpath.basename(n)[:-5]) if posixpath.basename(n) != ".rels" else ""
            for _id, _type, tgt, mode in part_rels(zf, src_part):
                if mode != "External" and tgt not in names:
                    problems.append(f"{n}: relationship {_id} points at {tgt}, which the package does not hold")

        n_strings = n_xfs = None
        wb_rels = part_rels(zf, pkg.wb_part)
        for _id, typ, tgt, _m in wb_rels:
            if typ == NS_R + "/sharedStrings" and tgt in names:
                n_strings = len(xml(tgt).findall("{%s}si" % NS_MAIN))
            elif typ == NS_R + "/styles" and tgt in names:
                xfs = xml(tgt).find("{%s}cellXfs" % NS_MAIN)
                n_xfs = len(xfs) if xfs is not None else 0

        formula_cells: dict[str, set] = {}
        for idx, (sheet, part, typ, _state) in enumerate(pkg.sheets):
            if typ != REL_WORKSHEET or part not in names:
                continue
            try:
                root = xml(part)
            except ET.ParseError:
                continue
            formula_cells[idx] = set()
            sd = root.find("{%s}sheetData" % NS_MAIN)
            last_r = 0
            for row in (sd if sd is not None else []):
                r = int(row.get("r", last_r + 1))
                if r <= last_r:
                    problems.append(f"{sheet}: row {r} comes after row {last_r}")
                last_r = r
                last_c = 0
                for c in row.findall("{%s}c" % NS_MAIN):
                    ref = c.get("r")
                    if ref:
                        try:
                            rr, cc = split_ref(ref)
                        except XlsxPatchError:
                            problems.append(f"{sheet}: bad cell address {ref!r}")
                            continue
                        if rr != r:
                            problems.append(f"{sheet}: cell {ref} inside row {r}")
                    else:
                        cc = last_c + 1
                    if cc <= last_c:
                        problems.append(f"{sheet}: cell {col_letter(cc)}{r} out of column order (or twice)")
                    last_c = cc
                    addr = f"{col_letter(cc)}{r}"
                    t = c.get("t", "n")
                    v = c.find("{%s}v" % NS_MAIN)
                    f = c.find("{%s}f" % NS_MAIN)
                    if f is not None:
                        formula_cells[idx].add(addr)
                        ft = f.get("t")
                        if ft in ("array", "dataTable") and not f.get("ref"):
                            problems.append(f"{sheet}!{addr}: {ft} formula without its range")
                        if ft == "shared" and f.get("si") is None:
                            problems.append(f"{sheet}!{addr}: shared formula without its index")
                    if t == "s":
                        if v is None or not (v.text or "").strip().isdigit():
                            problems.append(f"{sheet}!{addr}: shared-string cell without an index")
                        elif n_strings is None or int(v.text) >= n_strings:
                            problems.append(f"{sheet}!{addr}: shared string {v.text} does not exist")
                    elif t == "inlineStr" and c.find("{%s}is" % NS_MAIN) is None and f is None:
                        problems.append(f"{sheet}!{addr}: inline string without <is>")
                    elif t == "b" and v is not None and v.text not in ("0", "1"):
                        problems.append(f"{sheet}!{addr}: boolean {v.text!r} is not 0 or 1")
                    elif t == "n" and v is not None:
                        try:
                            float(v.text)
                        except (TypeError, ValueError):
                            problems.append(f"{sheet}!{addr}: number {v.text!r} is not a number")
                    elif t not in ("n", "s", "str", "inlineStr", "b", "e", "d"):
                        problems.append(f"{sheet}!{addr}: unknown cell type {t!r}")
                    s = c.get("s")
                    if s is not None and n_xfs is not None and int(s) >= n_xfs:
                        problems.append(f"{sheet}!{addr}: style {s} does not exist ({n_xfs} cell formats)")
            merged = [range_bounds(m.get("ref")) for m in root.iter("{%s}mergeCell" % NS_MAIN) if m.get("ref")]
            for i, a in enumerate(merged):
                for b in merged[i + 1:]:
                    if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]:
                        problems.append(f"{sheet}: merged ranges overlap ({range_text(a)} and {range_text(b)})")

        sheet_names = {s[0] for s in pkg.sheets}
        wb_root = ET.fromstring(pkg.wb_xml)
        for dn in wb_root.iter("{%s}definedName" % NS_MAIN):
            text = (dn.text or "").strip()
            for m in re.finditer(r"(?:'((?:[^']|'')+)'|([A-Za-z0-9_.\u0400-\u04ff]+))!", text):
                sh = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
                if sh not in sheet_names:
                    problems.append(f"defined name {dn.get('name')!r} points at sheet {sh!r}, which does not exist")
        by_sheet_id = {el.get("sheetId"): i for i, el in enumerate(wb_root.iter("{%s}sheet" % NS_MAIN))}
        for _id, typ, tgt, _m in wb_rels:
            if typ == REL_CALCCHAIN and tgt in names:
                current = None
                for c in xml(tgt):
                    current = c.get("i", current)  # an omitted sheet id repeats the previous one
                    idx = by_sheet_id.get(current)
                    if idx is None:
                        problems.append(f"calcChain names sheet id {current}, which does not exist")
                        continue
                    ref = c.get("r")
                    cells = formula_cells.get(idx)
                    if ref and cells is not None and ref not in cells:
                        problems.append(f"calcChain names {pkg.sheets[idx][0]}!{ref}, which holds no formula")
    return problems
