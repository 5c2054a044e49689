"""Opening a workbook package: the zip, its parts, relationships and sheets."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from .errors import XlsxPatchError
from .xmltext import (
    CFB_MAGIC,
    NS_MAIN,
    NS_R,
    NS_STRICT,
    REL_KINDS,
    REL_OFFICE_DOC,
    REL_STRICT_OFFICE_DOC,
    REL_WORKSHEET,
    local,
)

# --------------------------------------------------------------------------------------------------
# package structure


@dataclass
class Package:
    path: Path
    names: list[str]
    ct_xml: str
    wb_part: str
    wb_xml: str
    wb_rels_part: str
    sheets: list[tuple[str, str | None, str, str]]  # (name, part, rel type, state)
    date1904: bool
    macro: bool


def read_zip(path: Path) -> zipfile.ZipFile:
    p = Path(path)
    if not p.is_file():
        raise XlsxPatchError(f"workbook {str(p)!r} does not exist")
    with open(p, "rb") as fh:
        head = fh.read(8)
    if head == CFB_MAGIC:
        raise XlsxPatchError(
            f"{p.name}: this is a legacy .xls or a password-protected (encrypted) workbook; "
            "open it in Excel and save it as 'Excel Workbook (.xlsx)' or 'Excel Macro-Enabled Workbook (.xlsm)' without a password"
        )
    if p.suffix.lower() == ".xlsb":
        raise XlsxPatchError(f"{p.name}: binary workbooks (.xlsb) are not supported; save it as .xlsx or .xlsm")
    if not zipfile.is_zipfile(p):
        raise XlsxPatchError(f"{p.name}: not an Excel .xlsx/.xlsm file (not a zip package)")
    zf = zipfile.ZipFile(p)
    names = zf.namelist()
    if len(set(names)) != len(names):
        zf.close()
        raise XlsxPatchError(f"{p.name}: the package holds duplicate parts; open and re-save it in Excel")
    for info in zf.infolist():
        if info.flag_bits & 0x1:
            zf.close()
            raise XlsxPatchError(f"{p.name}: the zip package is encrypted")
    return zf


def _rels_part(part: str) -> str:
    d, b = posixpath.split(part)
    return posixpath.join(d, "_rels", b + ".rels")


def _resolve_target(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def part_rels(zf: zipfile.ZipFile, part: str) -> list[tuple[str, str, str, str]]:
    rp = _rels_part(part)
    try:
        root = ET.fromstring(zf.read(rp))
    except KeyError:
        return []
    out = []
    for el in root:
        if local(el.tag.split("}")[-1]) != "Relationship":
            continue
        tgt = el.get("Target", "")
        mode = el.get("TargetMode", "Internal")
        out.append((el.get("Id"), el.get("Type"), tgt if mode == "External" else _resolve_target(part, tgt), mode))
    return out


def open_package(zf: zipfile.ZipFile, path: Path) -> Package:
    names = zf.namelist()
    if "[Content_Types].xml" not in names:
        raise XlsxPatchError(f"{path.name}: not an Office Open XML package (no [Content_Types].xml)")
    ct_xml = zf.read("[Content_Types].xml").decode("utf-8-sig")
    wb_part = None
    for _id, typ, tgt, _mode in part_rels(zf, ""):  # _rels/.rels
        if typ == REL_STRICT_OFFICE_DOC:
            raise XlsxPatchError(f"{path.name}: strict OOXML workbooks are not supported; save as 'Excel Workbook (.xlsx)'")
        if typ == REL_OFFICE_DOC:
            wb_part = tgt
    if wb_part is None or wb_part not in names:
        raise XlsxPatchError(f"{path.name}: the package names no workbook part")
    ct_wb = _content_type(ct_xml, wb_part)
    if ct_wb and "binary" in ct_wb:
        raise XlsxPatchError(f"{path.name}: binary workbooks (.xlsb) are not supported; save it as .xlsx or .xlsm")
    wb_xml = zf.read(wb_part).decode("utf-8-sig")
    root = ET.fromstring(wb_xml)
    if root.tag == "{%s}workbook" % NS_STRICT:
        raise XlsxPatchError(f"{path.name}: strict OOXML workbooks are not supported; save as 'Excel Workbook (.xlsx)'")
    if root.tag != "{%s}workbook" % NS_MAIN:
        raise XlsxPatchError(f"{path.name}: the workbook part is not SpreadsheetML ({root.tag})")
    rels = {rid: (typ, tgt) for rid, typ, tgt, _m in part_rels(zf, wb_part)}
    sheets = []
    for sh in root.iter("{%s}sheet" % NS_MAIN):
        rid = sh.get("{%s}id" % NS_R)
        typ, tgt = rels.get(rid, (None, None))
        sheets.append((sh.get("name"), tgt, typ, sh.get("state", "visible")))
    wbpr = root.find("{%s}workbookPr" % NS_MAIN)
    date1904 = wbpr is not None and wbpr.get("date1904", "0") in ("1", "true")
    macro = "macroEnabled" in (ct_wb or "")
    return Package(path, names, ct_xml, wb_part, wb_xml, _rels_part(wb_part), sheets, date1904, macro)


def _content_type(ct_xml: str, part: str) -> str | None:
    root = ET.fromstring(ct_xml)
    for el in root:
        if el.tag.endswith("Override") and el.get("PartName", "").lstrip("/") == part:
            return el.get("ContentType")
    ext = part.rsplit(".", 1)[-1].lower()
    for el in root:
        if el.tag.endswith("Default") and el.get("Extension", "").lower() == ext:
            return el.get("ContentType")
    return None


def sheet_part(pkg: Package, sheet: str) -> str:
    names = [s[0] for s in pkg.sheets]
    for name, part, typ, _state in pkg.sheets:
        if name == sheet:
            if typ != REL_WORKSHEET:
                kind = REL_KINDS.get(typ, f"not a worksheet ({typ})")
                raise XlsxPatchError(f"sheet {sheet!r} is {kind}; cells can only be written to worksheets")
            if part not in pkg.names:
                raise XlsxPatchError(f"sheet {sheet!r}: its part {part!r} is missing from the package")
            return part
    folded = [n for n in names if n.casefold() == str(sheet).casefold()]
    hint = f" (did you mean {folded[0]!r}?)" if folded else ""
    raise XlsxPatchError(f"sheet {sheet!r} not found{hint}; the workbook has: " + ", ".join(repr(n) for n in names))


def sheet_parts(path) -> dict[str, str]:
    """{sheet name: zip part} for every sheet (worksheets and others), in workbook order."""
    with read_zip(Path(path)) as zf:
        pkg = open_package(zf, Path(path))
    return {name: part for name, part, _t, _s in pkg.sheets}


