"""A fill batch reads its template once (issue 12): the template's current indicator codes, where its
defined names point and its inventory are read for the first workbook and kept for the others; each
copy is still checked against that inventory before it is put in place."""

from __future__ import annotations

from pathlib import Path

from xlkg import xlsx
from xlkg.scorecard import writer

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "workbooks" / "xlkg_scorecard.xlsx"
EXAMPLE = ROOT / "workbooks" / "xlkg_scorecard_example.xlsx"


def test_a_batch_reads_its_template_once(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.xlsx").write_bytes(EXAMPLE.read_bytes())
    calls = {"blocks": 0, "names": 0, "inventory": 0, "copies": 0}
    blocks, resolve, inventory = writer._read_template_blocks, xlsx.resolve_names, xlsx.inventory

    def count_blocks(path, names):
        calls["blocks"] += 1
        return blocks(path, names)

    def count_resolve(path, names, **kw):
        calls["names"] += Path(path) == TEMPLATE
        return resolve(path, names, **kw)

    def count_inventory(path):
        calls["inventory" if Path(path) == TEMPLATE else "copies"] += 1
        return inventory(path)

    monkeypatch.setattr(writer, "_read_template_blocks", count_blocks)
    monkeypatch.setattr(xlsx, "resolve_names", count_resolve)
    monkeypatch.setattr(xlsx, "inventory", count_inventory)
    res = writer.fill_batch(folder, TEMPLATE, tmp_path / "out", progress=False)
    assert [r.output.name for r in res.done] == ["a_scorecard.xlsx", "b_scorecard.xlsx", "c_scorecard.xlsx"]
    assert res.failed == []
    # once for the batch: the codes (one openpyxl read), the names of the checked blocks and of the
    # written blocks (two look-ups, the second for the names the first did not cover), the inventory
    assert calls["blocks"] == 1 and calls["inventory"] == 1 and calls["names"] <= 2
    assert calls["copies"] == 3  # every copy is still compared with the template's inventory
    first = (tmp_path / "out" / "a_scorecard.xlsx").read_bytes()
    assert all((tmp_path / "out" / f"{n}_scorecard.xlsx").read_bytes() == first for n in "bc")  # same input, same bytes
