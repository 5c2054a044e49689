"""Writing a file that a user asked for: the one way every xlkg command writes its outputs.

What it promises (each promise has a test in tests/test_output.py):

* Nothing is lost. Without ``overwrite`` an existing file is never replaced, and the destination is
  created exclusively at the moment the finished file is put in place: of several runs writing the
  same path at once exactly one succeeds, the others refuse and leave nothing behind. A file named as
  one of the run's own inputs (``protect``) is refused even with ``overwrite``.
* Nobody is locked out. A new file is created with the permissions the user's umask gives any new
  file (as a text editor would create it); a file that is replaced keeps its permission bits.
* Never half a file. The data goes to a hidden temporary file beside the destination
  (``.NAME.xlkg-HOST-PID-RANDOM.tmp``), is flushed to the disk (fsync), and is then put in place in one step
  (a hard link when the file must be new, a rename when it may replace one). A reader sees the old
  file or the new one, never a mixture.
* Failures are said, not shown as tracebacks. A full disk, a read-only or missing folder, a folder
  given where a file belongs, or a stop signal end with `OutputError` (an `InputError`: the command
  line prints it and exits with status 2); the temporary file is removed and an existing file is left
  as it was. A run killed outright (SIGKILL, a power cut) cannot clean up: its temporary file is
  removed by the next write to the same destination on the same machine, once its process is gone
  (Linux, macOS; on Windows it stays until removed by hand).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import socket
import stat
import zlib
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from xlkg.core.errors import InputError

__all__ = ["OutputError", "check_destination", "writing", "write_bytes", "write_text", "same_file"]


class OutputError(InputError):
    """An output cannot be written (or must not be): the message names the file and the reason."""


def same_file(a, b) -> bool:
    """`a` and `b` name the same file: the same path once resolved, or a link to the same file."""
    a, b = Path(a), Path(b)
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def os_reason(exc: OSError) -> str:
    """What an OSError means, in words a user acts on."""
    e = exc.errno
    if e in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "the disk is full (or the disk quota is used up)"
    if e == errno.EROFS:
        return "the folder is on a read-only disk"
    if e in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if e == errno.EISDIR:
        return "it is a folder, not a file name"
    if e == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if e == errno.ENOENT:
        return "no such file or folder"
    if e == errno.EFBIG:
        return "the file is larger than this system allows"
    if e == errno.ENAMETOOLONG:
        return "the name is too long"
    return exc.strerror or str(exc)


def check_destination(dst, *, overwrite: bool = False, protect: Iterable = (), what: str = "output",
                      hint: str = "--overwrite") -> Path:
    """Refuse before any work is done: `dst` is a folder, one of the run's own files (`protect`: its
    input, its template), or exists while `overwrite` is false (`hint` names the switch that allows
    it: "--overwrite" on the command line, "overwrite=True" in Python). Returns `dst` as a Path."""
    dst = Path(dst)
    for p in protect:
        if p is not None and same_file(p, dst):
            raise OutputError(f"{what} {dst} is {Path(p).name}, a file this run reads; choose another name "
                              "(not even overwriting may replace the run's own input or template)")
    if dst.is_dir():
        raise OutputError(f"{what} {dst} is a folder; give the name of the file to write")
    if (dst.exists() or dst.is_symlink()) and not overwrite:
        raise OutputError(f"{what} {dst} exists; choose another name or pass {hint}")
    return dst


def _host_tag() -> str:
    return format(zlib.crc32(socket.gethostname().encode("utf-8", "replace")), "08x")


def _temp_prefix(dst: Path) -> str:
    return f".{dst.name}.xlkg-"


def _remove_stale_temps(dst: Path) -> None:
    """Temporary files of runs of this machine that were killed before they could clean up."""
    prefix, host = _temp_prefix(dst), _host_tag()
    try:
        entries = list(os.scandir(dst.parent))
    except OSError:
        return
    for ent in entries:
        name = ent.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        parts = name[len(prefix):-4].split("-")
        if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
            continue
        pid = int(parts[1])
        if pid != os.getpid() and not _alive(pid):
            with contextlib.suppress(OSError):
                os.unlink(ent.path)


def _alive(pid: int) -> bool:
    """Whether process `pid` of this machine still runs. On Windows os.kill would end the process, so
    there a temporary file is never taken for a dead run's (it stays until removed by hand)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, another user's
        return True
    return True


def _new_temp(dst: Path) -> tuple[int, Path]:
    """A new hidden file beside `dst`, created exclusively with mode 0666 minus the umask."""
    base = f"{_temp_prefix(dst)}{_host_tag()}-{os.getpid()}-"
    for _ in range(100):
        tmp = dst.parent / f"{base}{os.urandom(4).hex()}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(dst.parent))


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _File(io.FileIO):
    """The temporary file: a failed write (a full disk) raises OutputError naming the destination."""

    destination = ""

    def write(self, b):
        try:
            return super().write(b)
        except OSError as exc:
            raise OutputError(f"cannot write {self.destination}: {os_reason(exc)}; nothing was written") from None


def _commit_new(tmp: Path, dst: Path, what: str, hint: str) -> None:
    """Put `tmp` in place as `dst`, which must not exist: a hard link fails when it does (atomically,
    whatever other processes do). Where hard links are not supported (some network and FAT disks),
    the name is reserved with an exclusive create and then replaced."""
    try:
        os.link(tmp, dst)
    except FileExistsError:
        raise OutputError(f"{what} {dst} exists (written meanwhile by another run?); nothing of this run "
                          f"was written: choose another name or pass {hint}") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS, errno.EXDEV):
            raise
        try:
            os.close(os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            raise OutputError(f"{what} {dst} exists (written meanwhile by another run?); nothing of this run "
                              f"was written: choose another name or pass {hint}") from None
        try:
            os.replace(tmp, dst)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(dst)  # the empty file that reserved the name
            raise
        return
    os.unlink(tmp)


@contextlib.contextmanager
def writing(dst, *, overwrite: bool = False, protect: Iterable = (), what: str = "output", hint: str = "--overwrite",
            check: Callable[[Path], None] | None = None) -> Iterator[IO[bytes]]:
    """``with writing(path) as fh: fh.write(...)`` writes `path` as the module docstring promises.

    `check(temporary_path)` runs on the finished, flushed temporary file before it is put in place;
    whatever it raises cancels the write (nothing replaced, the temporary file removed)."""
    dst = check_destination(dst, overwrite=overwrite, protect=protect, what=what, hint=hint)
    if overwrite and dst.is_symlink():
        dst = dst.resolve()  # replace the file the link points at, keep the link
    tmp = None
    fh = None
    try:
        try:
            dst.parent.mkdir(parents=True, exist_ok=True)
            _remove_stale_temps(dst)
            fd, tmp = _new_temp(dst)
            fh = _File(fd, "wb")
            fh.destination = f"{what} {dst}"
        except OSError as exc:
            raise OutputError(f"cannot write {what} {dst}: {os_reason(exc)}") from None
        yield fh
        try:
            fh.flush()
            keep = None
            if overwrite:
                with contextlib.suppress(FileNotFoundError):
                    keep = stat.S_IMODE(os.stat(dst).st_mode)  # the replaced file's mode
            if keep is not None and hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), keep)
            try:
                os.fsync(fh.fileno())
            except OSError as exc:  # a file system that cannot flush on request (some network mounts) is not
                if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):  # an error; EIO, ENOSPC are
                    raise
            fh.close()
            if keep is not None and not hasattr(os, "fchmod"):  # Windows
                os.chmod(tmp, keep)
        except OSError as exc:
            raise OutputError(f"cannot write {what} {dst}: {os_reason(exc)}; nothing was written") from None
        if check is not None:
            check(tmp)
        try:
            if overwrite:
                os.replace(tmp, dst)
            else:
                _commit_new(tmp, dst, what, hint)
        except OSError as exc:
            raise OutputError(f"cannot write {what} {dst}: {os_reason(exc)}; nothing was written") from None
        tmp = None
        _fsync_dir(dst.parent)
    finally:
        if fh is not None and not fh.closed:
            with contextlib.suppress(OSError):
                fh.close()
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_bytes(dst, data: bytes, **kw) -> Path:
    with writing(dst, **kw) as fh:
        fh.write(data)
    return Path(dst)


def write_text(dst, text: str, *, encoding: str = "utf-8", **kw) -> Path:
    return write_bytes(dst, text.encode(encoding), **kw)
