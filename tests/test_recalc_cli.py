"""`xlkg recalc` on the command line: the same-file message names the option users type, and no
progress bar is drawn on stderr."""

import shutil
from pathlib import Path

import pytest

from xlkg import cli
from xlkg.core.result import InputError
from xlkg.recalc import recalc

SAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "xlkg_sample_ministry.xlsx"


def test_same_file_message_names_the_cli_option_and_the_api_argument(tmp_path, capsys):
    wb = tmp_path / "book.xlsx"
    shutil.copy(SAMPLE, wb)
    before = wb.read_bytes()
    assert cli.main(["recalc", str(wb), "-o", str(wb)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("xlkg recalc: output book.xlsx is the input workbook itself") and "--overwrite" in err
    assert "overwrite=True" not in err
    with pytest.raises(InputError, match=r"overwrite=True") as api:
        recalc(wb, tmp_path / "." / "book.xlsx")
    assert "--overwrite" not in str(api.value)
    assert wb.read_bytes() == before  # refused before anything was written


def test_no_progress_bar_on_stderr(tmp_path, capfd):
    out = tmp_path / "out.xlsx"
    assert cli.main(["recalc", str(SAMPLE), "-o", str(out)]) == 0
    captured = capfd.readouterr()
    assert "it/s" not in captured.err and "%|" not in captured.err
    assert "wrote" in captured.out
    import tqdm

    # tqdm itself is untouched for everybody else
    assert tqdm.tqdm.__module__ == "tqdm.std"
