"""Opening a workbook package: the zip, its parts, relationships and sheets."""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
import zlib
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


# --------------------------------------------------------------------------------------------------
# What a package may hold before anything of it is read: every reader opens workbooks through
# `read_zip` (or `check_file` before handing the file to openpyxl or `formulas`). The figures are
# Excel's own, from Microsoft's published "Excel specifications and limits", except the ratio.

MAX_FORMULA_CHARS = 8_192
"""Excel: "Length of formula contents: 8,192 characters", counted here as the file stores a formula
(without its leading "="); Excel neither writes nor opens longer ones."""

MAX_CELL_CHARS = 32_767
"""Excel: "Total number of characters that a cell can contain: 32,767 characters"."""

MAX_UNCOMPRESSED = 2 * 1024 ** 3
"""All parts together, expanded: at most 2 GiB. Excel: "32-bit environment is subject to 2 gigabytes
(GB) of virtual address space, shared by Excel, the workbook, and add-ins": a package whose parts alone
exceed it is one that Excel (32-bit) cannot hold."""

MAX_RATIO = 100
"""A part, or the whole package, larger than RATIO_FLOOR may expand to at most 100 times its compressed
size. Not an Excel figure: the worksheets Excel, LibreOffice and openpyxl write compress 8 to 25 times
(blank styled cells, zeros, shared formulas: measured), deflate cannot exceed about 1,030, and a part
beyond 100 is built to exhaust memory (a "zip bomb"); Apache POI refuses the same ratio by default."""

RATIO_FLOOR = 10 * 1024 ** 2
"""Parts (and packages) that expand to less than 10 MiB are never refused for their ratio."""

XML_SUFFIXES = (".xml", ".rels", ".vml")
"""Parts read as XML. None may carry a document type declaration (DOCTYPE): the Open Packaging
Conventions (ECMA-376 Part 2) do not allow DTDs in a package, a DTD can define entities that expand
without bound or name other files, and a part is copied into outputs as it is."""

PROLOG_BYTES = 64 * 1024
"""How far into an XML part its first element must start (declaration, comments and blanks before)."""

_EXCEL_FIX = "open it in Excel and save it again as 'Excel Workbook (.xlsx)'"


def _size(n: int) -> str:
    for unit, k in (("GiB", 1024 ** 3), ("MiB", 1024 ** 2), ("KiB", 1024)):
        if n >= k:
            return f"{n / k:.1f} {unit}"
    return f"{n} bytes"


def _encrypted_cfb(fh) -> bool:
    """A compound file (OLE2) holding an "EncryptedPackage" stream: an .xlsx/.xlsm encrypted with a
    password (MS-OFFCRYPTO). Its directory entries carry the stream names in UTF-16."""
    needle = "EncryptedPackage".encode("utf-16-le")
    fh.seek(0)
    tail = b""
    while True:
        block = fh.read(1 << 20)
        if not block:
            return False
        if needle in tail + block:
            return True
        tail = block[-len(needle):]


def _name_problem(name: str) -> str | None:
    """Why a zip member name cannot belong to a workbook package, or None. Part names are relative
    paths with forward slashes (ECMA-376 Part 2); anything else would land outside the folder it is
    extracted to, or is a trick."""
    if not name or "\x00" in name:
        return "an empty or NUL-containing name"
    if name.startswith("/") or "\\" in name or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if any(seg in (".", "..") for seg in name.split("/")):
        return "a path that climbs out of the package ('..')"
    return None


def _xml_prolog_problem(head: bytes) -> str | None:
    """What is wrong before the first element of an XML part, or None: a DOCTYPE, or a prolog longer
    than PROLOG_BYTES (`head` holds at most that many bytes of the part)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    elif head.startswith((b"<\x00", b"\x00<")):
        text = head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", "ignore")
    else:
        text = head.decode("utf-8", "ignore")
    text = text.lstrip("\ufeff")
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if text.startswith("<?", i):
            j, end = text.find("?>", i), 2
        elif text.startswith("<!--", i):
            j, end = text.find("-->", i + 4), 3
        elif text[i:i + 9].upper() == "<!DOCTYPE":
            return "a document type declaration (DOCTYPE)"
        else:
            if i >= n and len(head) >= PROLOG_BYTES:
                break
            return None
        if j < 0:
            break
        i = j + end
    return f"no element within its first {PROLOG_BYTES // 1024} KiB"


class CheckedZip(zipfile.ZipFile):
    """A workbook package that passed `read_zip`'s checks. Reading a damaged part raises
    XlsxPatchError naming the part instead of zipfile's or zlib's own exceptions."""

    label = "workbook"

    def read(self, name, pwd=None):
        try:
            return super().read(name, pwd)
        except KeyError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
            part = getattr(name, "filename", name)
            raise XlsxPatchError(f"{self.label}: part {part} is damaged ({exc}); {_EXCEL_FIX}") from None

    def close(self):
        try:
            super().close()
        finally:
            fh = getattr(self, "_xlkg_fh", None)
            if fh is not None:
                fh.close()


def _check_members(zf: zipfile.ZipFile, label: str, file_size: int) -> None:
    infos = zf.infolist()
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise XlsxPatchError(f"{label}: the package holds duplicate parts; {_EXCEL_FIX}")
    total = 0
    for info in infos:
        why = _name_problem(info.filename)
        if why:
            raise XlsxPatchError(f"{label}: the package holds a part named {info.filename!r}, {why}; "
                                 "a workbook's parts are relative names inside it: refused")
        if info.flag_bits & 0x1:
            raise XlsxPatchError(f"{label}: the zip package is encrypted")
        total += info.file_size
        if info.file_size > MAX_UNCOMPRESSED:
            raise XlsxPatchError(f"{label}: part {info.filename} expands to {_size(info.file_size)}, more than "
                                 f"the {_size(MAX_UNCOMPRESSED)} Excel (32-bit) can hold; refused")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise XlsxPatchError(
                f"{label}: part {info.filename} expands from {_size(info.compress_size)} to {_size(info.file_size)} "
                f"({info.file_size // max(info.compress_size, 1)} times; workbooks stay under {MAX_RATIO}); "
                "a file built to exhaust memory (a zip bomb): refused")
    if total > MAX_UNCOMPRESSED:
        raise XlsxPatchError(f"{label}: the package expands to {_size(total)}, more than the "
                             f"{_size(MAX_UNCOMPRESSED)} Excel (32-bit) can hold; refused")
    if total > RATIO_FLOOR and total > MAX_RATIO * max(file_size, 1):
        raise XlsxPatchError(f"{label}: the package expands from {_size(file_size)} to {_size(total)} "
                             f"(more than {MAX_RATIO} times); a file built to exhaust memory (a zip bomb): refused")
    for info in infos:
        if info.filename.lower().endswith(XML_SUFFIXES) and not info.is_dir():
            try:
                with zf.open(info) as f:
                    head = f.read(PROLOG_BYTES)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
                raise XlsxPatchError(f"{label}: part {info.filename} is damaged ({exc}); {_EXCEL_FIX}") from None
            why = _xml_prolog_problem(head)
            if why:
                raise XlsxPatchError(f"{label}: part {info.filename} holds {why}; workbook parts never do: refused")


def read_zip(path: Path, *, what: str = "workbook") -> CheckedZip:
    """Open a workbook package for reading, after the checks every reader relies on: the file exists
    and is a zip package (a password-protected workbook, a legacy .xls and a binary .xlsb are named as
    such), its part names stay inside it, it expands to no more than MAX_UNCOMPRESSED and no part
    beyond MAX_RATIO, and no XML part carries a DOCTYPE. Refusals raise XlsxPatchError naming the file."""
    p = Path(path)
    label = f"{what} {p.name}" if what else p.name
    if p.is_dir():
        raise XlsxPatchError(f"{what} {str(p)!r} is a folder, not a workbook file")
    if not p.is_file():
        raise XlsxPatchError(f"{what} {str(p)!r} does not exist")
    try:
        fh = open(p, "rb")
    except OSError as exc:
        raise XlsxPatchError(f"{label} cannot be read: {exc.strerror or exc}") from None
    try:
        head = fh.read(8)
        if head == CFB_MAGIC:
            if _encrypted_cfb(fh):
                raise XlsxPatchError(
                    f"{label}: this workbook is password-protected (encrypted), and xlkg cannot open it; in Excel "
                    "remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it), save, "
                    "and try again")
            raise XlsxPatchError(f"{label}: this is a legacy Excel 97-2003 workbook (.xls); {_EXCEL_FIX} or "
                                 "'Excel Macro-Enabled Workbook (.xlsm)'")
        if p.suffix.lower() == ".xlsb":
            raise XlsxPatchError(f"{label}: binary workbooks (.xlsb) are not supported; save it as .xlsx or .xlsm")
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(0)
        try:
            zf = CheckedZip(fh)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError):
            raise XlsxPatchError(f"{label}: not an Excel .xlsx/.xlsm file (not a zip package)") from None
        zf.label = label
        zf._xlkg_fh = fh
    except BaseException:
        fh.close()
        raise
    try:
        _check_members(zf, label, size)
    except BaseException:
        zf.close()
        raise
    return zf


_LONG_F = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?>([^<]{%d,})<" % (MAX_FORMULA_CHARS + 1))
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br\s*=\s*[\"']([A-Za-z]{1,3}[0-9]{1,7})[\"']")


def check_formulas(zf: zipfile.ZipFile, pkg: Package) -> None:
    """Refuse a worksheet formula longer than Excel's MAX_FORMULA_CHARS, naming sheet and cell."""
    for name, part, typ, _state in pkg.sheets:
        if typ != REL_WORKSHEET or part not in pkg.names:
            continue
        data = zf.read(part)
        for m in _LONG_F.finditer(data):
            text = html.unescape(m.group(1).decode("utf-8", "replace"))
            if len(text) <= MAX_FORMULA_CHARS:
                continue
            cells = list(_CELL_REF.finditer(data, max(0, m.start() - 4096), m.start()))
            cell = cells[-1].group(1).decode() if cells else "?"
            raise XlsxPatchError(
                f"{pkg.path.name}: sheet {name!r}, cell {cell}: a formula of {len(text):,} characters; Excel's "
                f"limit is {MAX_FORMULA_CHARS:,} (Excel would not open this workbook): refused")


def check_file(path, *, what: str = "workbook", formulas: bool = False) -> None:
    """`read_zip`'s checks, for a file about to be read by another library (openpyxl, `formulas`);
    with `formulas`, also the length of every worksheet formula (`check_formulas`)."""
    with read_zip(path, what=what) as zf:
        if formulas:
            check_formulas(zf, open_package(zf, Path(path)))


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


