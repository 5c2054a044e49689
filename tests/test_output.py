"""Outputs: nothing lost, nobody locked out (issue 11, cases 5 to 8).

Every command writes through one writer (`xlkg.output.writing`); these tests try it through the
commands users type (`xlkg fill`, `xlkg recalc`) and directly where a failure has to be provoked.
A refusal must name the file and what is wrong, exit with status 2, print nothing on stdout and no
traceback, leave an existing file as it was and leave no temporary file behind.

Nothing here depends on timing: concurrent runs meet at a barrier before they write (so they do
overlap, on any machine), and a run is stopped at a point it reports, not after a delay.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from xlkg import cli, output, xlsx

ROOT = Path(__file__).resolve().parent.parent
WB = ROOT / "workbooks"
TEMPLATE = WB / "xlkg_scorecard.xlsx"
EXAMPLE = WB / "xlkg_scorecard_example.xlsx"
SAMPLE = WB / "xlkg_sample_ministry.xlsx"


def run(args, capsys) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def refused(args, capsys, says: str) -> str:
    code, out, err = run(args, capsys)
    assert code == 2, (code, out, err)
    assert out == "" and "Traceback" not in err and says in err, err
    return err


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


# ---------------------------------------------------------------------------------------------- 5


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield lambda m: os.umask(m)
    os.umask(old)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_outputs_follow_the_umask(tmp_path, capsys, umask, mask, expected):
    # a new file gets 0666 minus the umask, as any program's new file (0644 under the usual 022:
    # colleagues on a shared folder can read it)
    umask(mask)
    out1, out2 = tmp_path / "filled.xlsx", tmp_path / "recalculated.xlsx"
    assert run(["fill", EXAMPLE, "--template", TEMPLATE, "-o", out1], capsys)[0] == 0
    assert run(["recalc", SAMPLE, "-o", out2], capsys)[0] == 0
    assert (mode(out1), mode(out2)) == (expected, expected)


def test_an_overwritten_file_keeps_its_mode(tmp_path, capsys, umask):
    umask(0o022)
    for args, out in ((["fill", EXAMPLE, "--template", TEMPLATE], tmp_path / "f.xlsx"),
                      (["recalc", SAMPLE], tmp_path / "r.xlsx")):
        out.write_bytes(b"an older file")
        out.chmod(0o640)  # group may read, others not: neither narrowed to 0600 nor widened to 0644
        assert run(args + ["-o", out, "--overwrite"], capsys)[0] == 0
        assert mode(out) == 0o640 and out.read_bytes()[:2] == b"PK"


# ---------------------------------------------------------------------------------------------- 6


def test_recalc_refuses_an_existing_output_without_overwrite(tmp_path, capsys):
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"somebody's file")
    err = refused(["recalc", SAMPLE, "-o", out], capsys, says="exists; choose another name or pass --overwrite")
    assert str(out) in err and out.read_bytes() == b"somebody's file"
    assert run(["recalc", SAMPLE, "-o", out, "--overwrite"], capsys)[0] == 0
    assert out.read_bytes()[:2] == b"PK"


def test_fill_refuses_an_existing_output_without_overwrite(tmp_path, capsys):
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"somebody's file")
    refused(["fill", EXAMPLE, "--template", TEMPLATE, "-o", out], capsys, says="exists")
    assert out.read_bytes() == b"somebody's file"


def test_fill_never_writes_over_its_own_input_or_template(tmp_path, capsys):
    inp, tpl = tmp_path / "input.xlsx", tmp_path / "template.xlsx"
    inp.write_bytes(EXAMPLE.read_bytes())
    tpl.write_bytes(TEMPLATE.read_bytes())
    link = tmp_path / "also-input.xlsx"
    link.symlink_to(inp)
    for target in (inp, tpl, link, tmp_path / "." / "template.xlsx"):
        for extra in ([], ["--overwrite"]):
            err = refused(["fill", inp, "--template", tpl, "-o", target] + extra, capsys, says="a file this run reads")
            assert str(target) in err
    assert inp.read_bytes() == EXAMPLE.read_bytes() and tpl.read_bytes() == TEMPLATE.read_bytes()


def test_recalc_may_recalculate_in_place_only_when_asked(tmp_path, capsys):
    book = tmp_path / "book.xlsx"
    book.write_bytes(SAMPLE.read_bytes())
    refused(["recalc", book, "-o", book], capsys, says="--overwrite")
    assert book.read_bytes() == SAMPLE.read_bytes()
    assert run(["recalc", book, "-o", book, "--overwrite"], capsys)[0] == 0


# ---------------------------------------------------------------------------------------------- 7


def _fill_at_barrier(barrier, args, queue):
    """One `xlkg fill` run that waits, after its checks and its work, just before it writes, until all
    the runs have got there: the runs then race for the destination on any machine."""
    import contextlib
    import io

    import xlkg.xlsx as package_api
    from xlkg import cli as c

    original = package_api.patch_workbook

    def at_barrier(*a, **k):
        barrier.wait()
        return original(*a, **k)

    package_api.patch_workbook = at_barrier
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = c.main(args)
    queue.put((args[1], code, out.getvalue(), err.getvalue()))


def test_eight_parallel_fills_to_one_path_one_wins_the_others_refuse(tmp_path):
    # eight different inputs (the example with its cluster renamed: Settings C2), one destination,
    # no --overwrite
    inputs = []
    for i in range(8):
        p = tmp_path / f"in{i}.xlsx"
        xlsx.patch_workbook(EXAMPLE, p, {"Settings": {"C2": f"Cluster {i}"}})
        inputs.append(p)
    dest = tmp_path / "out" / "scorecard.xlsx"
    dest.parent.mkdir()
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(8), ctx.Queue()
    procs = [ctx.Process(target=_fill_at_barrier,
                         args=(barrier, ["fill", str(p), "--template", str(TEMPLATE), "-o", str(dest)], queue))
             for p in inputs]
    for pr in procs:
        pr.start()
    results = [queue.get(timeout=900) for _ in procs]  # a guard against a hang only; nothing is timed
    for pr in procs:
        pr.join()
    winners = [r for r in results if r[1] == 0]
    losers = [r for r in results if r[1] != 0]
    assert len(winners) == 1, [(r[1], r[2][:80], r[3][:200]) for r in results]
    for _, code, out, err in losers:
        assert code == 2 and out == "" and "exists" in err and "Traceback" not in err, err
    assert f"wrote {dest}" in winners[0][2]
    # the file is the winner's result, whole
    assert xlsx.check_package(dest) == []
    sheet, ref = xlsx.resolve_name(dest, "xlkg_cluster")
    won = inputs.index(Path(winners[0][0]))
    assert xlsx.read_cells(dest, sheet, [ref]) == {ref: f"Cluster {won}"}
    assert sorted(p.name for p in dest.parent.iterdir()) == ["scorecard.xlsx"]


# ---------------------------------------------------------------------------------------------- 8


def test_an_output_naming_a_folder_is_refused(tmp_path, capsys):
    folder = tmp_path / "results"
    folder.mkdir()
    refused(["fill", EXAMPLE, "--template", TEMPLATE, "-o", folder], capsys, says="is a folder")
    refused(["recalc", SAMPLE, "-o", folder], capsys, says="is a folder")
    assert list(folder.iterdir()) == [] and hidden(tmp_path) == []


def _child(code: str, *, cwd: Path, preexec=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True,
                          preexec_fn=preexec, env=env, timeout=900)


def test_a_file_size_limit_hit_while_writing_is_a_message(tmp_path):
    # The kernel refuses to grow any file beyond 20 KB in this child (RLIMIT_FSIZE; SIGXFSZ ignored,
    # so write() fails with EFBIG): the output is cut off in the middle of writing, as on a full disk.
    out = tmp_path / "o.xlsx"
    proc = _child(f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
        from xlkg.cli import main
        sys.exit(main(["fill", {str(EXAMPLE)!r}, "--template", {str(TEMPLATE)!r}, "-o", {str(out)!r}]))
    """, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert f"cannot write output {out}: the file is larger than this system allows" in proc.stderr
    assert not out.exists() and hidden(tmp_path) == []


@pytest.fixture
def full_disk(tmp_path):
    """A folder on a 64 KiB file system (tmpfs): a real "No space left on device". Needs the right to
    mount (root); where it is missing the test skips, saying so."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {res.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_a_full_disk_is_a_message_and_leaves_nothing(full_disk, capsys):
    out = full_disk / "o.xlsx"
    (full_disk / "existing.xlsx").write_bytes(b"x" * 1000)
    (full_disk / "filler").write_bytes(b"\0" * 52 * 1024)  # leaves about 8 KiB; a filled scorecard is over 20 KiB
    err = refused(["fill", EXAMPLE, "--template", TEMPLATE, "-o", out], capsys, says="the disk is full")
    assert str(out) in err
    err = refused(["recalc", SAMPLE, "-o", full_disk / "existing.xlsx", "--overwrite"], capsys, says="the disk is full")
    assert sorted(p.name for p in full_disk.iterdir()) == ["existing.xlsx", "filler"]
    assert (full_disk / "existing.xlsx").read_bytes() == b"x" * 1000  # the file being replaced is intact


def _without_root_override():
    """In the child, before it runs Python: drop the capabilities that let root write anywhere
    (CAP_DAC_OVERRIDE 1, CAP_DAC_READ_SEARCH 2) from the bounding set, so a folder's permissions hold
    for it as for any user. Without root this is not needed (and fails harmlessly)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP


def test_a_read_only_folder_is_a_message(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    out = folder / "o.xlsx"
    proc = _child(f"""
        import sys
        from pathlib import Path
        try:
            open(Path({str(folder)!r}) / "probe", "wb")
            print("PRIVILEGED")
        except PermissionError:
            pass
        from xlkg.cli import main
        sys.exit(main(["fill", {str(EXAMPLE)!r}, "--template", {str(TEMPLATE)!r}, "-o", {str(out)!r}]))
    """, cwd=tmp_path, preexec=_without_root_override if os.geteuid() == 0 else None)
    if "PRIVILEGED" in proc.stdout:
        pytest.skip("this process may write into a read-only folder (root without a way to drop that right)")
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert f"cannot write output {out}: permission denied" in proc.stderr
    assert list(folder.iterdir()) == []


def test_the_data_is_flushed_before_it_is_put_in_place(tmp_path, monkeypatch):
    events = []
    real_fsync, real_link, real_replace = os.fsync, os.link, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else fd))
        return real_fsync(fd)

    def link(a, b, **k):
        events.append(("link", str(a), str(b)))
        return real_link(a, b, **k)

    def replace(a, b, **k):
        events.append(("replace", str(a), str(b)))
        return real_replace(a, b, **k)

    monkeypatch.setattr(output.os, "fsync", fsync)
    monkeypatch.setattr(output.os, "link", link)
    monkeypatch.setattr(output.os, "replace", replace)
    out = tmp_path / "o.xlsx"
    output.write_bytes(out, b"new")
    output.write_bytes(out, b"newer", overwrite=True)
    puts = [i for i, e in enumerate(events) if e[0] in ("link", "replace")]
    assert len(puts) == 2
    for i in puts:
        tmp = events[i][1]
        assert ("fsync", tmp) in events[:i], events  # the temporary file itself was flushed first
    assert out.read_bytes() == b"newer" and hidden(tmp_path) == []


STOP_AT_FLUSH = """
    import os, signal, sys
    real = os.fsync
    def fsync(fd):
        print("writing", flush=True)   # the run has written its temporary file and is about to flush it
        signal.pause()                 # the test stops it here
    os.fsync = fsync
    from xlkg.cli import main
    sys.argv = ["xlkg", "fill", {inp!r}, "--template", {tpl!r}, "-o", {out!r}]
    sys.exit(main())  # as the console script runs it
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_run_says_so_and_leaves_nothing(tmp_path, sig):
    out = tmp_path / "o.xlsx"
    # As from a terminal: Ctrl+C's SIGINT at its default disposition in the child, even where this test run
    # itself was started with SIGINT ignored (a background job of a non-interactive shell), in which case
    # Python would install no KeyboardInterrupt handler and the child would wait for ever.
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(STOP_AT_FLUSH).format(
        inp=str(EXAMPLE), tpl=str(TEMPLATE), out=str(out))], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert proc.stdout.readline() == "writing\n"
        assert hidden(tmp_path)  # the temporary file exists at this point
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=900)
    finally:  # an interrupted test leaves no paused child behind
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 2, stderr
    assert stdout == "" and "Traceback" not in stderr and "stopped" in stderr
    assert not out.exists() and hidden(tmp_path) == []


def test_a_killed_runs_temporary_file_is_removed_by_the_next_run(tmp_path, capsys):
    # SIGKILL cannot be caught: the temporary file stays, hidden, until the next write to the same
    # destination finds that its process is gone
    out = tmp_path / "o.xlsx"
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(STOP_AT_FLUSH).format(
        inp=str(EXAMPLE), tpl=str(TEMPLATE), out=str(out))], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "writing\n"
    finally:  # killed in any case: here is the point of the test, and an interrupted test leaves no child
        proc.kill()
        proc.communicate(timeout=900)
    assert len(hidden(tmp_path)) == 1 and not out.exists()
    assert run(["fill", EXAMPLE, "--template", TEMPLATE, "-o", out], capsys)[0] == 0
    assert hidden(tmp_path) == [] and out.exists()


def test_rating_writes_through_the_same_writer(tmp_path, capsys, umask):
    # xlkg rating -o: the umask's mode, an existing result replaced only with --overwrite and keeping its
    # mode, never the table it reads
    umask(0o022)
    table = tmp_path / "table.csv"
    table.write_text("region,output,jobs\nA,10,5\nB,20,4\nC,15,6\n", encoding="utf-8")
    out = tmp_path / "rating.csv"
    assert run(["rating", table, "-o", out], capsys)[0] == 0
    assert mode(out) == 0o644
    out.chmod(0o640)
    refused(["rating", table, "-o", out], capsys, says="exists")
    assert run(["rating", table, "-o", out, "--overwrite"], capsys)[0] == 0
    assert mode(out) == 0o640 and hidden(tmp_path) == []
    before = table.read_bytes()
    refused(["rating", table, "-o", table, "--overwrite"], capsys, says="a file this run reads")
    assert table.read_bytes() == before


def test_where_hard_links_are_not_supported_the_name_is_reserved_exclusively(tmp_path, monkeypatch):
    # Some network and FAT disks refuse hard links: the writer then reserves the name with an exclusive
    # create before it moves the finished file in, so the refusal still holds at that moment
    import errno

    def no_link(a, b, **k):
        raise OSError(errno.EPERM, "Operation not permitted", str(a))

    monkeypatch.setattr(output.os, "link", no_link)
    out = tmp_path / "o.bin"
    output.write_bytes(out, b"first")
    assert out.read_bytes() == b"first" and hidden(tmp_path) == []
    # another run got there between this run's first check and its commit
    tmp = tmp_path / ".o.bin.xlkg-finished.tmp"
    tmp.write_bytes(b"second")
    with pytest.raises(output.OutputError, match="exists"):
        output._commit_new(tmp, out, "output", "--overwrite")
    assert out.read_bytes() == b"first"
