"""Keep one LibreOffice running and convert workbooks through it, one request per line on stdin.

Run as a script by a Python that can ``import uno`` (on Debian the system ``python3`` with the package
python3-uno; LibreOffice's own ``program/python`` elsewhere), never imported by the tests:

    python3 office_bridge.py SOFFICE PROFILE_URL PIPE_NAME

It starts ``soffice`` headless in the given profile, listening on a named pipe, connects to it through
UNO and answers each request ``{"src": path, "out": path, "filter": name}`` with ``{"ok": true}`` or
``{"error": text}`` (one JSON line each). The first line it writes is ``{"ok": true, "pid": N}`` once
LibreOffice answers, or ``{"error": text}``. At the end of its input it closes LibreOffice.

A document is loaded hidden, read-only, with macros never executed and links not updated, and closed
after it is stored: what the command line's ``--convert-to`` does, without starting the application
again for every file. The profile's settings (recalculation on load, macro security) apply as they do
there.
"""

import json
import os
import signal
import subprocess
import sys
import time

import uno  # noqa: F401  (only here: this script runs in LibreOffice's Python, not the test process)
from com.sun.star.beans import PropertyValue

NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE


def _props(**kw):
    out = []
    for name, value in kw.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def _answer(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main(argv):
    soffice, profile, pipe, guard = argv
    proc = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--nologo", "--norestore",
         "--nolockcheck", "--nodefault", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + float(guard)  # a hang guard: a slow start is waited for
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception as exc:  # not listening yet
                if proc.poll() is not None or time.monotonic() > deadline:
                    _answer({"error": f"LibreOffice did not start (exit {proc.poll()}): {exc}"})
                    return 1
                time.sleep(0.1)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        _answer({"ok": True, "pid": proc.pid})
        for line in sys.stdin:
            req = json.loads(line)
            try:
                doc = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(req["src"]), "_blank", 0,
                    _props(Hidden=True, ReadOnly=True, MacroExecutionMode=NEVER_EXECUTE, UpdateDocMode=NO_UPDATE))
                if doc is None:
                    raise RuntimeError("source file could not be loaded")
                try:
                    doc.storeToURL(uno.systemPathToFileUrl(req["out"]), _props(FilterName=req["filter"]))
                finally:
                    doc.close(True)
                _answer({"ok": True})
            except Exception as exc:
                _answer({"error": f"{type(exc).__name__}: {getattr(exc, 'Message', '') or exc}"})
        try:
            desktop.terminate()
        except Exception:  # the bridge goes down with the application
            pass
        proc.wait(30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
