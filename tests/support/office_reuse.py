"""Route the product's LibreOffice conversions through one running LibreOffice per profile.

`reuse_office(render)` replaces ``render.convert`` (the one place where the product starts LibreOffice;
``to_pdf`` and the checks call it through the module) by a function that converts through an
`OfficeSession`, started on first use in a copy of the module's own profile for that recalculation
mode (the same settings). It returns an `OfficeReuse` whose ``restore()`` puts the original back and closes the sessions.
Anything a session cannot do (no Python with `uno`, a target without a known filter, LibreOffice not
found, an application that stopped answering) goes to the original, which starts LibreOffice.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from support.office_session import FILTERS, HANG_GUARD, OfficeSession, uno_python

_UNSET = object()


class OfficeReuse:
    def __init__(self, module, shared: bool = True):
        self.module = module
        self.shared = shared
        self.original = module.convert
        self.sessions: dict[bool, OfficeSession | None] = {}
        self.python = _UNSET if shared else None
        self.counts = {"session": 0, "launched": 0}
        self.profiles: list[Path] = []
        module.convert = self.convert

    def _session(self, recalc: bool, soffice: str) -> OfficeSession | None:
        if self.python is _UNSET:
            self.python = uno_python(soffice)
        if self.python is None:
            return None
        s = self.sessions.get(recalc, _UNSET)
        if s is _UNSET:
            # A copy of the product's profile (the same settings), not the profile itself: a LibreOffice
            # launched in a profile where one is running hands its work to that one and ends it.
            profile = Path(tempfile.mkdtemp(prefix="xlkg-lo-session-"))
            self.profiles.append(profile)
            shutil.copytree(self.module._profile(recalc) / "user", profile / "user")
            env = dict(os.environ, HOME=str(profile), SAL_USE_VCLPLUGIN="svp", PAPERSIZE="letter")
            s = OfficeSession(soffice, self.python, profile, env)
            self.sessions[recalc] = s = s if s.started() else None
        if s is not None and not s.alive():
            self.sessions[recalc] = s = None
        return s

    def convert(self, src, fmt: str, outdir, *, recalc: bool = True, timeout: float | None = None) -> Path:
        m = self.module
        # In the tests a conversion is given up only when it hangs, never for being slow on a busy machine
        timeout = max(HANG_GUARD, timeout or 0)
        ext, _, filter_name = fmt.partition(":")
        filter_name = filter_name or FILTERS.get(ext)
        soffice = m.find_soffice()
        session = None
        if filter_name is not None and soffice is not None and Path(src).is_file():
            src = Path(src).resolve()
            outdir = Path(outdir).resolve()
            outdir.mkdir(parents=True, exist_ok=True)
            target = outdir / (src.stem + "." + ext)
            if target.exists():
                target.unlink()
            with m._lock:  # one conversion at a time per process, as for the launches
                session = self._session(recalc, soffice)
                if session is not None:
                    error = session.convert(src, target, filter_name, timeout)
        if session is None:
            self.counts["launched"] += 1
            return self.original(src, fmt, outdir, recalc=recalc, timeout=timeout)
        self.counts["session"] += 1
        if error is None and target.is_file() and target.stat().st_size > 0:
            return target
        raise m.OfficeError(f"LibreOffice could not convert {src.name} to {ext}: {error or 'no output'}")

    def restore(self) -> dict:
        self.module.convert = self.original
        for s in self.sessions.values():
            if s is not None:
                s.close()
        for profile in self.profiles:
            shutil.rmtree(profile, ignore_errors=True)
        return self.counts


def reuse_office(module, shared: bool = True) -> OfficeReuse:
    """Count the conversions of `module` (xlkg.render) and, when `shared`, make them in a running LibreOffice."""
    return OfficeReuse(module, shared)
