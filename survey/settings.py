"""Settings: one Struct read from the environment, behind a cached getter.

Every variable is documented in .env.example; the CLI options take the same variables. The limits that
protect a running server (pool, timeouts, sign-in throttles, the trusted proxy) are explained, each with
what it protects against, in docs/security.md.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

import msgspec

from survey.errors import SurveyError

PACKAGE_DIR = Path(__file__).resolve().parent

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class InvalidSetting(SurveyError):
    """A setting in the environment has a value survey cannot use."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None
    replica_url: str | None = None
    """A streaming replica of the database, where reports and exports read (docs/scaling.md)."""
    replica_max_wait: float = 1.0
    """Seconds a report or export waits for the replica to catch up before it reads on the primary."""
    data_dir: Path = Path(".survey-data")
    secret_key: str | None = None
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    forms_dir: Path | None = None
    log_level: str = "INFO"
    # -- limits of a running server (docs/security.md) --
    pool_size: int = 10
    """Database connections per server process."""
    pool_timeout: float = 5.0
    """Seconds a request waits for a free database connection before it gets 503."""
    query_timeout: float = 60.0
    """Seconds one SQL statement may run."""
    body_timeout: float = 10.0
    """Seconds a request body may take to arrive (plus one second per ``body_min_rate`` bytes)."""
    body_min_rate: int = 16 * 1024
    """Bytes per second below which a large body counts as stalled."""
    send_timeout: float = 30.0
    """Seconds a client may leave a response unread before the connection is dropped."""
    sign_in_window: float = 15.0
    """Minutes over which failed sign-ins are counted, and the longest a client address is kept."""
    sign_in_account_failures: int = 5
    """Failed sign-ins to one account within the window before it is locked for the rest of it."""
    sign_in_address_failures: int = 20
    """Failed sign-ins from one client address within the window before it is refused."""
    trusted_proxies: tuple[IPNetwork, ...] = ()
    """The reverse proxies whose client-address header is believed; nobody else's is."""
    client_address_header: str = "x-forwarded-for"
    """The header in which a trusted proxy names the client (lower case)."""
    report_warmup: int = 300
    """Seconds between two passes that make reports ready before they are read (0: never)."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        forms = env.get("SURVEY_FORMS_DIR")
        default = cls()
        host = env.get("SURVEY_HOST") or default.host
        port = _number(env, "SURVEY_PORT", int, default.port, minimum=1)
        if port > 65535:
            raise InvalidSetting(f'SURVEY_PORT must be a port number up to 65535, not "{port}"')
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            replica_url=env.get("DATABASE_REPLICA_URL") or None,
            replica_max_wait=_number(
                env, "SURVEY_REPLICA_MAX_WAIT", float, default.replica_max_wait
            ),
            data_dir=Path(env.get("SURVEY_DATA_DIR") or ".survey-data"),
            secret_key=env.get("SURVEY_SECRET_KEY") or None,
            base_url=(env.get("SURVEY_BASE_URL") or local_base_url(host, port)).rstrip("/"),
            host=host,
            port=port,
            forms_dir=Path(forms) if forms else None,
            log_level=(env.get("SURVEY_LOG_LEVEL") or "INFO").upper(),
            pool_size=_number(env, "SURVEY_POOL_SIZE", int, default.pool_size, minimum=2),
            pool_timeout=_number(env, "SURVEY_POOL_TIMEOUT", float, default.pool_timeout),
            query_timeout=_number(env, "SURVEY_QUERY_TIMEOUT", float, default.query_timeout),
            body_timeout=_number(env, "SURVEY_BODY_TIMEOUT", float, default.body_timeout),
            body_min_rate=_number(
                env, "SURVEY_BODY_MIN_RATE", int, default.body_min_rate, minimum=1
            ),
            send_timeout=_number(env, "SURVEY_SEND_TIMEOUT", float, default.send_timeout),
            sign_in_window=_number(env, "SURVEY_SIGN_IN_WINDOW", float, default.sign_in_window),
            sign_in_account_failures=_number(
                env, "SURVEY_SIGN_IN_ACCOUNT_FAILURES", int, default.sign_in_account_failures
            ),
            sign_in_address_failures=_number(
                env, "SURVEY_SIGN_IN_ADDRESS_FAILURES", int, default.sign_in_address_failures
            ),
            trusted_proxies=_networks(env, "SURVEY_TRUSTED_PROXIES"),
            report_warmup=_number(
                env, "SURVEY_REPORT_WARMUP", int, default.report_warmup, minimum=0
            ),
            client_address_header=(
                env.get("SURVEY_CLIENT_ADDRESS_HEADER") or default.client_address_header
            )
            .strip()
            .lower(),
        )

    def resolved_secret_key(self) -> str:
        """The secret key, generated once and kept in the data directory when not set."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key


def local_base_url(host: str, port: int) -> str:
    """Where ``survey serve`` answers on this machine: the base URL when ``SURVEY_BASE_URL`` is unset.

    Built from the address the server listens on, so that links and QR codes follow ``SURVEY_PORT`` and
    ``survey serve --port``. A server listening on every address is reached here at the loopback one.
    """
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:  # an IPv6 address is bracketed in a URL
        host = f"[{host}]"
    return f"http://{host}:{port}"


N = TypeVar("N", int, float)


def _number(env: Mapping[str, str], name: str, kind: type[N], default: N, *, minimum: int = 1) -> N:
    """The number in ``name``, or ``default`` when unset; InvalidSetting for anything else.

    Whole numbers must be at least ``minimum``; other numbers (seconds, minutes) greater than 0.
    """
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if kind is int:
        if value is None or value < minimum:
            raise InvalidSetting(
                f'{name} must be a whole number of at least {minimum}, not "{raw}"'
            )
    elif value is None or not 0 < value < float("inf"):  # NaN fails both comparisons
        raise InvalidSetting(f'{name} must be a number greater than 0, not "{raw}"')
    return value


def _networks(env: Mapping[str, str], name: str) -> tuple[IPNetwork, ...]:
    """Comma-separated addresses or networks (``10.0.0.5, 172.18.0.0/16``)."""
    found = []
    for part in (env.get(name) or "").split(","):
        if part.strip():
            try:
                found.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise InvalidSetting(
                    f'{name} lists addresses or networks such as 10.0.0.5 or 172.18.0.0/16, not "{part.strip()}"'
                ) from None
    return tuple(found)


@functools.cache
def get_settings() -> Settings:
    return Settings.from_environ()


def shipped_dir(name: str) -> Path:
    """Find ``forms/`` or ``static/``: beside the package in a checkout, inside it when installed."""
    checkout = PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    return PACKAGE_DIR / f"_{name}"


def forms_dir(settings: Settings | None = None) -> Path:
    settings = settings or get_settings()
    return settings.forms_dir or shipped_dir("forms")


def static_dir() -> Path:
    return shipped_dir("static")
