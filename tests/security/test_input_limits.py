"""Every text a user sends has a length limit checked before the database (issue 12, finding 9).

The attack: a sign-in with a 6,000-character email answered 500 (``index row size exceeds btree``), and
so did a new account's; a version number of 5,000 digits or ``?before=`` of 38 digits did too. Random
letters, because PostgreSQL compresses a run of one letter below the index limit. Each case must now
get a 4xx with a sentence that says what is wrong, and change nothing.
"""

from __future__ import annotations

import json
import secrets
import string

import asyncpg
import pytest

from survey.console.messages import CATALOGUE as CONSOLE_MESSAGES
from survey.db.accounts import MAX_EMAIL_LENGTH
from survey.db.campaigns import Campaign
from survey.web.inputs import MAX_FIELD_LENGTH
from survey.web.security import MAX_PATH_BYTES, MAX_QUERY_BYTES
from tests.helpers import PASSWORD, visible_text
from tests.security.conftest import OpenBrowser

#: The console says which numbers it wanted, in the reader's language (English for these accounts).
VERSIONS_NOT_NUMBERS = CONSOLE_MESSAGES.translate("error.versions_not_numbers", "en")


def letters(n: int) -> str:
    return "".join(secrets.choice(string.ascii_letters) for _ in range(n))


TABLES = ["account", "campaign", "wave", "sign_in_attempt", "audit_log"]


async def _counts(db: asyncpg.Connection) -> dict[str, int]:
    return {t: await db.fetchval(f"SELECT count(*) FROM {t}") for t in TABLES}


def _refused(response, status: int, *sentence: str) -> None:
    """A refusal with this status whose page shows each sentence."""
    shown = (
        visible_text(response.text)
        if "html" in response.headers.get("content-type", "")
        else response.text
    )
    assert response.status_code == status, (response.status_code, shown[:500])
    for part in sentence:
        assert part in shown, (part, shown[:800])


async def test_a_six_thousand_character_email_cannot_sign_in_and_is_told_why(
    browser: OpenBrowser, db: asyncpg.Connection
) -> None:
    anonymous = await browser("")
    before = await _counts(db)
    for email in (letters(300) + "@example.org", letters(6000) + "@example.org"):
        sent = await anonymous.post(
            "/sign-in", data={"email": email, "password": PASSWORD, "_csrf_token": anonymous.csrf}
        )
        if len(email) <= MAX_FIELD_LENGTH:
            # The sign-in form again, saying what is wrong.
            # In the sign-in page's language: Mongolian, as nothing asked for another.
            too_long = CONSOLE_MESSAGES.translate("sign_in.refused.too_long", "mn", limit=254)
            _refused(sent, 400, too_long)
            assert 'name="password"' in sent.text
        else:
            _refused(sent, 400, f'the field "email" has more than {MAX_FIELD_LENGTH:,} characters')
    long_password = await anonymous.post(
        "/sign-in",
        data={"email": "a@example.org", "password": letters(5000), "_csrf_token": anonymous.csrf},
    )
    _refused(long_password, 400, 'the field "password" has more than 1,024 characters')
    assert await _counts(db) == before  # not even an attempt recorded


async def test_account_fields_have_limits(browser: OpenBrowser, db: asyncpg.Connection) -> None:
    admin = await browser("admin")
    before = await _counts(db)
    strong = "a long unguessable passphrase"
    for email, message in [
        (
            letters(MAX_EMAIL_LENGTH) + "@example.org",
            CONSOLE_MESSAGES.translate("error.email_too_long", "en", maximum=254),
        ),
        (letters(6000) + "@example.org", 'the field "email" has more than 1,000 characters'),
        ("someone@example.org", 'the field "role" has more than 1,000 characters'),
    ]:
        role = letters(2000) if "role" in message else "viewer"
        sent = await admin.post(
            "/console/users",
            data={"email": email, "role": role, "password": strong, "_csrf_token": admin.csrf},
        )
        _refused(sent, 400, message)
    assert await _counts(db) == before


async def test_campaign_and_wave_keys_have_limits(
    browser: OpenBrowser, db: asyncpg.Connection, campaign: Campaign
) -> None:
    researcher = await browser("researcher")
    before = await _counts(db)
    for key in (letters(64).lower(), letters(6000).lower()):
        sent = await researcher.post(
            "/console/campaigns",
            data={
                "key": key,
                "questionnaire": "trafficking-knowledge",
                "design": "independent",
                "_csrf_token": researcher.csrf,
            },
        )
        expected = (
            CONSOLE_MESSAGES.translate("error.campaign_key_format", "en", key=key[:40])[:30]
            if len(key) < 100
            else "has more than"
        )
        _refused(sent, 400, expected)
    for fields, expected in [
        (
            {"phase": "post", "wave_key": letters(82).lower()},
            CONSOLE_MESSAGES.translate("error.wave_key_format", "en", key="")[:30],
        ),
        ({"phase": "post", "version": "9" * 5000}, 'the field "version" has more than'),
        (
            {"phase": "post", "version": "9" * 30},
            CONSOLE_MESSAGES.translate("error.version_not_number", "en", version="9" * 30),
        ),
        ({"phase": letters(3000)}, 'the field "phase" has more than'),
    ]:
        sent = await researcher.post(
            "/console/campaigns/tip/waves", data={**fields, "_csrf_token": researcher.csrf}
        )
        _refused(sent, 400, expected)
    assert await _counts(db) == before


@pytest.mark.parametrize("field", ["format", "wave", "language"])
async def test_export_fields_have_limits(
    browser: OpenBrowser, db: asyncpg.Connection, campaign: Campaign, field: str
) -> None:
    analyst = await browser("analyst")
    before = await _counts(db)
    data = {"format": "csv", field: letters(6000), "_csrf_token": analyst.csrf}
    sent = await analyst.post("/console/campaigns/tip/export", data=data)
    _refused(sent, 400, f'the field "{field}" has more than')
    assert await _counts(db) == before  # no export started, none logged


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/console/audit?before=" + "9" * 38, "before must be a whole number from 0 to"),
        ("/console/audit?before=" + "9" * 500, "before must be a whole number from 0 to"),
        ("/console/audit?before=-1", "before must be a whole number from 0 to"),
        ("/console/questionnaires/trafficking-knowledge/diff?a=" + "9" * 30, VERSIONS_NOT_NUMBERS),
        ("/console/questionnaires/trafficking-knowledge/diff?b=1e9", VERSIONS_NOT_NUMBERS),
    ],
)
async def test_numbers_in_the_address_have_limits(
    browser: OpenBrowser, campaign: Campaign, url: str, expected: str
) -> None:
    admin = await browser("admin")
    _refused(await admin.get(url), 400, expected)


async def test_addresses_have_limits(browser: OpenBrowser, campaign: Campaign) -> None:
    admin = await browser("admin")
    too_long = "x" * MAX_QUERY_BYTES
    for url in [
        f"/console/campaigns?lang={too_long}",
        f"/sign-in?next=/{too_long}",
        "/console/campaigns/" + "x" * MAX_PATH_BYTES,
        f"/r/{'y' * MAX_PATH_BYTES}",
    ]:
        sent = await admin.get(url)
        _refused(sent, 414, "The address is too long.", "Хаяг хэт урт байна.")
    token = "svy_" + "x" * 40  # refused for its length before anyone looks at the token
    for url in [
        f"/api/v1/campaigns/tip/responses?wave={too_long}",
        f"/api/v1/campaigns/tip/responses?cursor={too_long}",
        "/api/v1/campaigns/" + "x" * MAX_PATH_BYTES,
    ]:
        sent = await admin.get(url, headers={"authorization": f"Bearer {token}"})
        assert sent.status_code == 414
        assert json.loads(sent.text)["detail"].startswith("The address is too long.")


async def test_nothing_a_user_sends_answers_500(browser: OpenBrowser, campaign: Campaign) -> None:
    """The same values in every field of every console form at once: never a server error."""
    admin = await browser("admin")
    huge = letters(6000)
    for path in [
        "/sign-in",
        "/console/users",
        "/console/campaigns",
        "/console/campaigns/tip/waves",
        "/console/campaigns/tip/export",
        "/console/xlsform/publish",
    ]:
        fields = ["email", "password", "role", "key", "questionnaire", "design", "cluster",
                  "phase", "arm", "version", "wave_key", "format", "wave", "language", "next"]  # fmt: skip
        sent = await admin.post(
            path, data={**dict.fromkeys(fields, huge), "_csrf_token": admin.csrf}
        )
        assert 400 <= sent.status_code < 500, (path, sent.status_code)
