"""The limits are documented where an operator looks: every setting survey reads is in .env.example with
its default, and every limit setting is explained in docs/security.md."""

from __future__ import annotations

import re
from pathlib import Path

from survey.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SETTINGS_SOURCE = (REPO / "survey" / "settings.py").read_text()
ENV_EXAMPLE = (REPO / ".env.example").read_text()
SECURITY_DOC = (REPO / "docs" / "security.md").read_text()
LIMITS = ("POOL", "QUERY", "BODY", "SEND", "SIGN_IN", "TRUSTED", "CLIENT_ADDRESS")


def _read_variables() -> set[str]:
    return set(re.findall(r'"((?:SURVEY_|DATABASE_)[A-Z_]+)"', SETTINGS_SOURCE))


def test_every_setting_is_in_env_example() -> None:
    variables = _read_variables()
    assert len(variables) >= 18
    for name in variables:
        assert re.search(rf"^#? ?{name}=", ENV_EXAMPLE, re.MULTILINE), name


def test_env_example_shows_the_defaults_of_the_limits() -> None:
    """Uncommented lines of .env.example set what survey would use anyway: copying the file changes
    nothing."""
    example = Settings.from_environ(
        dict(re.findall(r"^(SURVEY_[A-Z_]+)=(.*)$", ENV_EXAMPLE, re.MULTILINE))
    )
    defaults = Settings()
    for field in ("pool_size", "pool_timeout", "query_timeout", "body_timeout", "body_min_rate",
                  "send_timeout", "sign_in_window", "sign_in_account_failures",
                  "sign_in_address_failures", "client_address_header"):  # fmt: skip
        assert getattr(example, field) == getattr(defaults, field), field


def test_every_limit_setting_is_explained_in_docs_security() -> None:
    limits = {v for v in _read_variables() if any(part in v for part in LIMITS)}
    assert len(limits) == 11
    for name in limits:
        assert f"`{name}`" in SECURITY_DOC, name
