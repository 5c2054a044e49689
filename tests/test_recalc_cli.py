"""`xlkg recalc` on the command line: the same-file message names the option users type, and no
progress bar is drawn on stderr."""

import argparse
import shutil
from pathlib import Path

import pytest

from xlkg.core.result import InputError
from xlkg.recalc import recalc, recalc_cli

SAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "xlkg_sample_ministry.xlsx"


def test_same_file_message_names_the_cli_option_and_the_api_argument(tmp_path):
    wb = tmp_path / "book.xlsx"
    shutil.copy(SAMPLE, wb)
    before = wb.read_bytes()
    with pytest.raises(InputError, match=r"--overwrite") as cli:
        recalc_cli(argparse.Namespace(input=str(wb), output=str(wb), overwrite=False))
    assert "overwrite=True" not in str(cli.value)
    with pytest.raises(InputError, match=r"overwrite=True") as api:
        recalc(wb, tmp_path / "." / "book.xlsx")
    assert "--overwrite" not in str(api.value)
    assert wb.read_bytes() == before  # refused before anything was written


def test_no_progress_bar_on_stderr(tmp_path, capfd):
    out = tmp_path / "out.xlsx"
    assert recalc_cli(argparse.Namespace(input=str(SAMPLE), output=str(out), overwrite=False)) == 0
    captured = capfd.readouterr()
    assert "it/s" not in captured.err and "%|" not in captured.err
    assert "wrote" in captured.out
    import tqdm

    # tqdm itself is untouched for everybody else
    assert tqdm.tqdm.__module__ == "tqdm.std"
