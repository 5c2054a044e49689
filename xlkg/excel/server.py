"""xlkg's Office.js add-in server: xlwings Server 1.20.0 running the project folder `workbooks/server`,
started by `xlkg serve` (the one documented start command).

What `xlkg serve` adds to xlwings Server:

* **No anonymous access from other machines.** Without an authentication provider the server answers
  only requests made on this machine (client address 127.0.0.1 or ::1, no proxy header
  X-Forwarded-For / Forwarded); any other request gets 403 and a message saying how to switch
  authentication on. `--host` other than a loopback address is refused at start unless a provider is
  configured. So a deployment reachable from the network always authenticates.
* **The "xlkg" authentication provider** (`validate_token` below; the project's `auth/xlkg` re-exports
  it): every request must carry one of the access keys listed in the environment variable
  XLKG_ACCESS_KEYS (comma separated, each at least 16 characters), typed once by the user into the
  xlkg task pane. Organisations with Microsoft 365 can use xlwings Server's own "entraid" provider
  (single sign-on) instead; both are switched on with XLWINGS_AUTH_PROVIDERS.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

from xlkg.core.result import InputError

ACCESS_KEYS_ENV = "XLKG_ACCESS_KEYS"
MIN_KEY_LENGTH = 16
LOOPBACK_NAMES = ("localhost",)

NO_AUTH_MESSAGE = (
    "xlkg: this server has no authentication and answers only requests made on its own machine. "
    "To serve other computers set XLWINGS_AUTH_PROVIDERS=[\"xlkg\"] and XLKG_ACCESS_KEYS "
    "(or Microsoft Entra ID), as the xlkg documentation describes."
)
BAD_KEY_MESSAGE = (
    "xlkg: access key missing or wrong. Type the access key your administrator gave you into the "
    "xlkg task pane (ribbon tab xlkg > xlkg) and press Save."
)


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def access_keys() -> list[str]:
    """The access keys of the "xlkg" provider, from XLKG_ACCESS_KEYS (comma separated)."""
    raw = os.environ.get(ACCESS_KEYS_ENV, "")
    return [k.strip() for k in raw.split(",") if k.strip()]


def check_access_keys(keys: list[str]) -> None:
    if not keys:
        raise InputError(f"{ACCESS_KEYS_ENV} is empty: the \"xlkg\" authentication provider needs at least one "
                         "access key (a random text of 16 or more characters, e.g. from "
                         "`python -c \"import secrets; print(secrets.token_urlsafe(24))\"`)")
    short = [i for i, k in enumerate(keys, start=1) if len(k) < MIN_KEY_LENGTH]
    if short:
        raise InputError(f"{ACCESS_KEYS_ENV}: key {', '.join(map(str, short))} is shorter than {MIN_KEY_LENGTH} "
                         "characters; use longer random keys")


async def validate_token(token_string: str):
    """The "xlkg" provider for xlwings Server: the Authorization header must be one of the access keys."""
    from fastapi import HTTPException, status
    from xlwings_server.models import User

    given = (token_string or "").encode()
    for i, key in enumerate(access_keys(), start=1):
        if given and secrets.compare_digest(given, key.encode()):
            return User(id=f"xlkg-key-{i}", name=f"xlkg access key {i}")
    raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail=BAD_KEY_MESSAGE)


class LocalOnlyWithoutAuth:
    """ASGI wrapper: while no authentication provider is configured, answer only local requests."""

    def __init__(self, app, *, auth_on: bool):
        self.app = app
        self.auth_on = auth_on

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket") and not self.auth_on and not _local_request(scope):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            body = NO_AUTH_MESSAGE.encode()
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def _local_request(scope) -> bool:
    client = scope.get("client")
    if not client or not is_loopback(client[0]):
        return False
    names = {k.lower() for k, _ in scope.get("headers", [])}
    return b"x-forwarded-for" not in names and b"forwarded" not in names


def find_project(path: str | os.PathLike | None) -> Path:
    """The xlwings Server project folder: the given one, else the current folder."""
    project = Path(path) if path else Path.cwd()
    if not (project / "custom_functions").is_dir() or not (project / "custom_scripts").is_dir():
        raise InputError(f"{project}: not an xlwings Server project folder (it needs custom_functions/ and "
                         "custom_scripts/); run `xlkg serve` in xlkg's workbooks/server folder or give --project")
    return project.resolve()


def prepare(project: Path, host: str):
    """Check everything that would make the server start wrongly, then return (ASGI app, settings)."""
    try:
        import uvicorn  # noqa: F401
        import xlwings_server  # noqa: F401
    except ImportError:
        raise InputError("xlkg serve needs xlwings Server: pip install \"xlkg[server]\" "
                         "(xlwings-server 1.20.0)") from None
    os.environ["XLWINGS_PROJECT_DIR"] = str(project)
    from xlwings_server.config import settings  # reads the project's pyproject.toml and .env

    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise InputError("XLWINGS_LICENSE_KEY is not set: xlwings Server needs it (\"noncommercial\" for use under "
                         "the PolyForm Noncommercial licence, else a paid key); put it in the environment or "
                         f"in {project / '.env'}")
    providers = list(settings.auth_providers or [])
    if not providers and not is_loopback(host):
        raise InputError(f"--host {host}: without authentication xlkg serves this machine only (127.0.0.1); "
                         "set XLWINGS_AUTH_PROVIDERS=[\"xlkg\"] and XLKG_ACCESS_KEYS (or Entra ID) to serve others")
    if "xlkg" in providers:
        check_access_keys(access_keys())
    from xlwings_server.main import main_app

    return LocalOnlyWithoutAuth(main_app, auth_on=bool(providers)), settings


def serve(project=None, *, host: str = "127.0.0.1", port: int = 8000, certfile=None, keyfile=None) -> None:
    """Run the add-in's server until it is stopped (Ctrl+C)."""
    import uvicorn

    folder = find_project(project)
    app, _ = prepare(folder, host)
    uvicorn.run(app, host=host, port=port, ssl_certfile=certfile, ssl_keyfile=keyfile, log_level="info")
