"""Settings: one Struct read from the environment, behind a cached getter.

Every variable is documented in .env.example; the CLI options take the same variables.
"""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path

import msgspec

PACKAGE_DIR = Path(__file__).resolve().parent


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None
    data_dir: Path = Path(".survey-data")
    secret_key: str | None = None
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    forms_dir: Path | None = None
    log_level: str = "INFO"

    @classmethod
    def from_environ(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        forms = env.get("SURVEY_FORMS_DIR")
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            data_dir=Path(env.get("SURVEY_DATA_DIR") or ".survey-data"),
            secret_key=env.get("SURVEY_SECRET_KEY") or None,
            base_url=(env.get("SURVEY_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            host=env.get("SURVEY_HOST") or "127.0.0.1",
            port=int(env.get("SURVEY_PORT") or 8000),
            forms_dir=Path(forms) if forms else None,
            log_level=(env.get("SURVEY_LOG_LEVEL") or "INFO").upper(),
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
