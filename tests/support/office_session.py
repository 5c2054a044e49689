"""One LibreOffice for the whole test session, instead of one per conversion.

Starting LibreOffice costs about 2-3 s; converting a workbook in a running one about 1 s. The tests
convert some fifty times (values recalculated and as shown, PDFs), so each recalculation mode
(a private profile each, as the product uses them) gets one LibreOffice kept running for the session,
driven through UNO by ``office_bridge.py``. The conversion itself is the same as on the command line:
the same profile (recalculation on load, macro security), the same export filters; what is saved is
the application's start-up.

It is used only where it is safe to share the application: it needs a Python that can ``import uno``
(Debian: python3-uno); without one, or when the running LibreOffice fails to answer, every conversion
starts LibreOffice as the product does. The environment the application runs with is fixed when it
starts, so it is started with US Letter as the machine's default paper (``PAPERSIZE=letter``), as the
LibreOffice tests set it for the per-call launches: A4 pages then show that a workbook asks for A4.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path

BRIDGE = Path(__file__).with_name("office_bridge.py")

# LibreOffice's export filter for each target the checks use (as `--convert-to EXT` picks it for Calc).
FILTERS = {"pdf": "calc_pdf_Export", "xlsx": "Calc MS Excel 2007 XML", "csv": "Text - txt - csv (StarCalc)"}


# How long the tests wait before they call LibreOffice hung: half an hour. Slowness alone (a busy
# machine, two test runs at once) must never fail or reroute a test; only a hang may.
HANG_GUARD = 1800


def uno_python(soffice: str) -> str | None:
    """A Python interpreter that can import LibreOffice's `uno` module, or None."""
    candidates = [sys.executable, "/usr/bin/python3", str(Path(soffice).resolve().parent / "python")]
    for exe in dict.fromkeys(candidates):
        if not Path(exe).is_file():
            continue
        try:
            ok = subprocess.run([exe, "-c", "import uno"], capture_output=True, timeout=HANG_GUARD).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return exe
    return None


class OfficeSession:
    """A running LibreOffice in one profile, converting files on request (see office_bridge.py)."""

    def __init__(self, soffice: str, python: str, profile: Path, env: dict):
        self.pipe = f"xlkg-tests-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.proc = subprocess.Popen([python, str(BRIDGE), soffice, profile.as_uri(), self.pipe, str(HANG_GUARD)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env, text=True, encoding="utf-8", start_new_session=True)
        self._answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.office_pid = None
        self.conversions = 0

    def _read(self):
        for line in self.proc.stdout:
            self._answers.put(json.loads(line))
        self._answers.put({"error": "the LibreOffice bridge ended"})

    def _answer(self, timeout: float) -> dict:
        try:
            return self._answers.get(timeout=timeout)
        except queue.Empty:
            self.close(kill=True)
            return {"error": f"no answer from LibreOffice within {timeout:.0f} s", "dead": True}

    def started(self, timeout: float = HANG_GUARD) -> bool:
        first = self._answer(timeout)
        self.office_pid = first.get("pid")
        if not first.get("ok"):
            self.close(kill=True)
        return bool(first.get("ok"))

    def alive(self) -> bool:
        return self.proc.poll() is None

    def convert(self, src: Path, out: Path, filter_name: str, timeout: float) -> str | None:
        """Store `src` as `out` with `filter_name`; None when done, else LibreOffice's reason."""
        self.proc.stdin.write(json.dumps({"src": str(src), "out": str(out), "filter": filter_name}) + "\n")
        self.proc.stdin.flush()
        ans = self._answer(timeout)
        self.conversions += 1
        return None if ans.get("ok") else ans.get("error", "unknown error")

    def close(self, kill: bool = False):
        if self.proc.poll() is not None:
            return
        if not kill:
            try:
                self.proc.stdin.close()
                self.proc.wait(60)
                return
            except (OSError, subprocess.TimeoutExpired):
                pass
        for pid in (self.office_pid, self.proc.pid):
            if pid:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        self.proc.wait()
