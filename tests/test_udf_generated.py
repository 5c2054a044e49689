"""The generated descriptions of the worksheet functions are current and well formed.

If one of the "current" tests fails, run `xlkg manifest` and commit the regenerated files.
"""

import importlib
import inspect
import json
import os
from pathlib import Path

import pytest

from xlkg.excel import generate, registry

ROOT = Path(__file__).resolve().parents[1]


def _read(rel):
    with open(ROOT / rel, encoding="utf-8", newline="") as f:
        return f.read()


def test_manifest_is_current():
    assert _read(generate.MANIFEST) == registry.manifest_text(), "udf_manifest.txt is stale: run `xlkg manifest`"


def test_manifest_names_an_importable_module_of_plain_functions():
    text = _read(generate.MANIFEST)
    first = text.splitlines()[0]
    assert first.startswith("module: ")
    module = importlib.import_module(first.split(":", 1)[1].strip())
    for spec in registry.functions():
        fn = getattr(module, spec.name)
        assert callable(fn)
        # the manifest line of each function carries its Python signature
        params = inspect.signature(fn).parameters
        line = next(ln for ln in text.splitlines() if ln.startswith(spec.name + "("))
        for p in params.values():
            assert p.name in line
        assert spec.description in text


def test_every_function_has_a_wizard_sized_description_and_argument_help():
    for spec in registry.functions():
        assert 0 < len(spec.description) <= 255, spec.name
        for a in spec.args:
            assert a.doc and len(a.doc) <= 255 and "\n" not in a.doc, (spec.name, a.name)


def test_contract_first_arguments_are_fixed():
    # The issue fixes the first arguments of the main functions; workbooks depend on them.
    sig = {s.name: [a.name for a in s.args] for s in registry.functions()}
    assert sig["LOCALIZATION"][:3] == ["values", "region_totals", "sector_totals"]
    assert sig["PER_CAPITA"][:2] == ["values", "population"]
    assert sig["SPECIALIZATION"][:2] == ["values", "grp"]
    assert len(sig["CLUSTER_POTENTIAL"]) >= 4 and sig["CLUSTER_POTENTIAL"][3] == "method"
    if "REGION_RATING" in sig:
        assert sig["REGION_RATING"][:4] == ["indicators", "directions", "weights", "method"]


def test_vba_module_is_current():
    assert _read(generate.VBA_MODULE) == generate.vba_module_text(), "VBA module is stale: run `xlkg manifest`"


def test_vba_module_declares_every_function_with_its_arguments():
    text = _read(generate.VBA_MODULE)
    parsed = generate.parse_vba_functions(text)
    specs = registry.functions()
    assert set(parsed) == {s.name for s in specs}
    for spec in specs:
        assert parsed[spec.name] == [a.name for a in spec.args], spec.name
        header = next(ln for ln in text.splitlines() if ln.startswith(f"Function {spec.name}("))
        for a in spec.args:
            if a.optional:
                assert f"Optional {a.name}" in header
            elif a.vararg:
                assert f"ParamArray {a.name}()" in header
        # every result goes through the error conversion before Excel sees it (both branches)
        assert text.count(f'{spec.name} = XlkgCells(XLPy.CallUDF("{registry.UDF_MODULE}", "{spec.name}"') == 2
    # not xlwings' module name: its "Import Functions" would replace the module with unconverted wrappers
    assert text.startswith('Attribute VB_Name = "xlkg_udfs"')
    # CVErr numbers of Microsoft's XlCVError enumeration (xlErrNA = 2042, ...), one Case per error text
    for text_, number in [("#NULL!", 2000), ("#DIV/0!", 2007), ("#VALUE!", 2015), ("#REF!", 2023),
                          ("#NAME?", 2029), ("#NUM!", 2036), ("#N/A", 2042)]:
        assert f'Case "{text_}": XlkgErrorValue = CVErr({number})' in text
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")


def test_vba_generation_leaves_no_stub_modules_behind():
    import sys

    generate.vba_module_text()
    for name in ("pythoncom", "pywintypes", "win32com.client", "xlwings.udfs"):
        assert name not in sys.modules or sys.platform.startswith("win")


def test_officejs_metadata_is_current_valid_and_lists_every_function():
    key_before = os.environ.get("XLWINGS_LICENSE_KEY")  # None under tests/conftest.py, a user's key otherwise
    meta = generate.officejs_metadata()
    assert os.environ.get("XLWINGS_LICENSE_KEY") == key_before, "the licence key must be set only for the call"
    assert generate.validate_metadata(meta) == []
    assert json.loads(_read(generate.OFFICEJS_METADATA)) == meta, "metadata is stale: run `xlkg manifest`"
    by_id = {f["id"]: f for f in meta["functions"]}
    for spec in registry.functions():
        f = by_id[spec.name]
        # no namespace inside the metadata: with an empty manifest namespace formulas read =NAME(...)
        assert f["name"] == spec.name
        assert f["description"] == spec.description
        assert [p["name"] for p in f["parameters"]] == [a.name for a in spec.args]
        for p, a in zip(f["parameters"], spec.args, strict=True):
            assert p["description"] == a.doc
            assert p.get("optional", False) == a.optional
            assert p.get("repeating", False) == a.vararg
        assert f["result"]["dimensionality"] == "matrix"


@pytest.mark.parametrize("mutate, expected", [
    (lambda f: f.update(id="BAD-ID"), "id must contain only"),
    (lambda f: f.update(name="1ABC"), "name must start with a letter"),
    (lambda f: f.update(description="x" * 256), "description longer"),
    (lambda f: f["parameters"][0].update(dimensionality="cube"), "dimensionality must be"),
    (lambda f: f["parameters"][0].update(type="table"), "type must be one of"),
    (lambda f: f["parameters"][0].update(repeating=True), "only the last parameter may repeat"),
])
def test_metadata_validator_catches_broken_metadata(mutate, expected):
    meta = generate.officejs_metadata()
    f = next(f for f in meta["functions"] if f["id"] == "LOCALIZATION")
    mutate(f)
    problems = generate.validate_metadata(meta)
    assert any(expected in p for p in problems), problems


def test_stale_files_reports_a_changed_file(tmp_path):
    generate.generate_all(tmp_path)
    assert generate.stale_files(tmp_path) == []
    (tmp_path / generate.MANIFEST).write_text("module: something.else\n", encoding="utf-8")
    assert generate.stale_files(tmp_path) == [generate.MANIFEST]


def test_no_argument_name_collides_with_a_function_or_vba_keyword():
    specs = registry.functions()
    names = {s.name.lower() for s in specs}
    for s in specs:
        for a in s.args:
            assert a.name.lower() not in names, (s.name, a.name)
            assert a.name.lower() not in registry.VBA_RESERVED, (s.name, a.name)


def test_formulas_as_russian_locale_excel_writes_them():
    # by hand: ";" between arguments (the omitted ones stay empty), "," before decimals, quoted text and
    # quoted sheet names untouched
    assert (registry.russian_locale_formula('=LOCALIZATION(Output!A1:G11, , , "zero")')
            == '=LOCALIZATION(Output!A1:G11; ; ; "zero")')
    assert registry.russian_locale_formula('=ADVANTAGE(Ki!A1:G9, 1.5, "a, b")') == '=ADVANTAGE(Ki!A1:G9; 1,5; "a, b")'
    assert registry.russian_locale_formula("=DYNAMICS('2.1'!A3:F8, \"summary\")") == "=DYNAMICS('2.1'!A3:F8; \"summary\")"
    # every example of the reference is given both ways; none is a range list Excel cannot parse
    text = (generate.repo_root() / generate.REFERENCE).read_text(encoding="utf-8")
    for spec in registry.functions():
        for ex in spec.examples:
            assert f"`{ex}`" in text and f"`{registry.russian_locale_formula(ex)}`" in text
            assert ";" not in ex.replace('";"', ""), ex  # a ";" in an English-locale formula is an error
