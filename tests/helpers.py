"""Helpers shared by test modules (a test module never imports another test module).

Besides the page-reading helpers at the top: a study for the console, the API and the exports (a
questionnaire published in two versions, a campaign whose pre and post waves use different versions,
responses inserted through SQL) and accounts signed in without the cost of argon2 on every request.
"""

from __future__ import annotations

import functools
import re
import string
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.console import auth
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db.accounts import Account
from survey.db.campaigns import Campaign, Wave
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_definition
from survey.settings import Settings
from survey.web.i18n import Catalogue


class _VisibleText(HTMLParser):
    """The text a reader sees, and the attribute texts read aloud or shown (alt, title, aria-label...)."""

    SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "value")
    HIDDEN = ("script", "style")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        kind = dict(attrs).get("type")
        # A value is shown in a text field or on an input button; never for hidden fields, choices
        # (radio, checkbox, option) or a <button>, whose value is sent, not seen.
        value_shown = tag == "input" and kind not in ("hidden", "radio", "checkbox")
        for name, value in attrs:
            if name == "value" and not value_shown:
                continue
            if (
                value
                and name in self.SHOWN_ATTRIBUTES
                and not (tag == "input" and kind == "hidden")
            ):
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The words of a page as a reader meets them, whitespace collapsed."""
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", unescape(" ".join(parser.parts)))


def english_left(html: str, catalogue: Catalogue, *, min_length: int = 4) -> list[str]:
    """The English catalogue texts (or their fixed parts around placeholders) found on a page.

    Entries whose Mongolian and English texts are the same (language names, symbols) are skipped, as are
    fixed parts shorter than ``min_length`` characters, which would match inside other words.
    """
    text = visible_text(html)
    found = []
    for key, texts in catalogue.messages.items():
        english, mongolian = texts["en"], texts["mn"]
        if english == mongolian:
            continue
        for literal, *_ in string.Formatter().parse(english):
            piece = literal.strip(" .,:;–-()")
            if len(piece) >= min_length and re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text):
                found.append(f"{key}: {piece}")
    return found


# -- a questionnaire in two versions ---------------------------------------------------------------

V1 = """
key: tq
languages: [mn, en]
title: {mn: "Туршилтын асуулга", en: "A test questionnaire"}
sections:
  - key: consent
    items:
      - {key: consent, type: consent, text: {mn: "Зөвшөөрч байна уу?", en: "Do you agree?"}}
  - key: about
    show_if: "consent == 'yes'"
    items:
      - {key: age, type: integer, min: 18, max: 27, text: {mn: "Нас?", en: "Your age?"}}
      - {key: aimag, type: choice, choices: aimags, text: {mn: "Аймаг", en: "Province"}}
      - {key: visit, type: date, text: {mn: "Огноо", en: "Date of the visit"}}
      - {key: code, type: panel_code, text: {mn: "Код", en: "Your code"}}
  - key: knowledge
    items:
      - key: k_offer
        type: choice
        correct: "no"
        choices: yes_no_dk
        text: {mn: "Сайхан санал аюулгүй юу?", en: "Is a too-good job offer safe?"}
      - key: k_signs
        type: multi
        correct: [passport, debt]
        scoring: partial
        text: {mn: "Аюулын дохио?", en: "Which are warning signs?"}
        choices:
          - {value: passport, label: {mn: "Паспорт", en: "Keeping the passport"}}
          - {value: debt, label: {mn: "Өр", en: "Imposing a debt"}}
          - {value: contract, label: {mn: "Гэрээ", en: "Giving a contract"}}
  - key: attitudes
    items:
      - {key: a_help, type: likert, scale: agree5, text: {mn: "Тусламж хүснэ", en: "I can ask for help"}}
      - key: a_shame
        type: likert
        scale: agree5
        reverse: true
        text: {mn: "Ичмээр", en: "Asking for help is shameful"}
      - {key: comment, type: text, text: {mn: "Сэтгэгдэл", en: "Anything else?"}}
choice_lists:
  aimags:
    - {value: ub, label: {mn: "Улаанбаатар", en: "Ulaanbaatar"}}
    - {value: darkhan, label: {mn: "Дархан", en: "Darkhan"}}
  yes_no_dk:
    - {value: "yes", label: {mn: "Тийм", en: "Yes"}}
    - {value: "no", label: {mn: "Үгүй", en: "No"}}
    - {value: dk, label: {mn: "Мэдэхгүй", en: "Don't know"}}
likert_scales:
  agree5:
    points: 5
    labels:
      mn: ["Огт үгүй", "Үгүй", "Дунд", "Тийм", "Бүрэн тийм"]
      en: ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
outcomes:
  knowledge: {kind: score, label: {mn: "Мэдлэг", en: "Knowledge"}, items: [k_offer, k_signs]}
  help_seeking: {kind: scale, label: {mn: "Тусламж", en: "Help seeking"}, items: [a_help, a_shame]}
"""

# Version 2: a new knowledge item in the middle, a new choice for k_signs (a breaking change), and an
# outcome counting who would report.
V2 = (
    V1.replace(
        "      - key: k_signs\n",
        """      - key: k_hotline
        type: choice
        correct: "yes"
        choices: yes_no_dk
        text: {mn: "Утас 108 үнэгүй юу?", en: "Is the 108 hotline free?"}
      - key: k_signs
""",
    )
    .replace(
        '          - {value: contract, label: {mn: "Гэрээ", en: "Giving a contract"}}\n',
        '          - {value: contract, label: {mn: "Гэрээ", en: "Giving a contract"}}\n'
        '          - {value: isolation, label: {mn: "Тусгаарлах", en: "Isolating them"}}\n',
    )
    .replace(
        "  help_seeking:",
        '  hotline: {kind: proportion, label: {mn: "Утас", en: "Knows the hotline"}, item: k_hotline, '
        'value: "yes"}\n  help_seeking:',
    )
)

PASSWORD = "correct horse battery"
HTMX = {"HX-Request": "true"}


@dataclass
class Study:
    """A campaign whose pre wave uses version 1 and post wave version 2."""

    campaign: Campaign
    pre: Wave
    post: Wave
    v1_id: int
    v2_id: int


async def publish_versions(db: asyncpg.Connection) -> tuple[int, int]:
    """Publish V1 then V2; return their version ids."""
    await publish(db, load_definition(V1))
    await publish(db, load_definition(V2))
    rows = await db.fetch(
        "SELECT v.id FROM questionnaire_version v JOIN questionnaire q ON q.id = v.questionnaire_id "
        "WHERE q.key = 'tq' ORDER BY v.version"
    )
    return rows[0]["id"], rows[1]["id"]


async def make_study(
    db: asyncpg.Connection, *, key: str = "tip", design: str = "independent"
) -> Study:
    v1_id, v2_id = await publish_versions(db)
    campaign = await campaigns_db.create_campaign(db, key, questionnaire="tq", design=design)
    pre = await campaigns_db.add_wave(db, key, phase="pre", version=1)
    post = await campaigns_db.add_wave(db, key, phase="post", version=2)
    return Study(campaign=campaign, pre=pre, post=post, v1_id=v1_id, v2_id=v2_id)


T0 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


async def add_response(
    db: asyncpg.Connection,
    wave: Wave,
    answers: Mapping[str, Any],
    *,
    status: str = "complete",
    language: str = "en",
    started_at: datetime = T0,
    minutes: float = 10,
    pages: Sequence[str] = ("consent", "about", "knowledge", "attitudes"),
    panel_key: str | None = None,
    version_id: int | None = None,
) -> uuid.UUID:
    """Insert a response as the respondent pages store it (answers keyed by item key)."""
    response_id = uuid.uuid4()
    submitted = started_at + timedelta(minutes=minutes) if status == "complete" else None
    await db.execute(
        "INSERT INTO response (id, wave_id, version_id, language, status, answers, pages, panel_key, "
        "started_at, updated_at, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)",
        response_id,
        wave.id,
        version_id or wave.version_id,
        language,
        status,
        dict(answers),
        list(pages),
        panel_key,
        started_at,
        submitted,
    )
    return response_id


# -- accounts and clients --------------------------------------------------------------------------


@functools.cache
def password_hash() -> str:
    # Hashed once per test session: argon2 is deliberately slow.
    return auth.hash_password(PASSWORD)


async def make_account(
    db: asyncpg.Connection, role: str, email: str | None = None, *, language: str | None = None
) -> Account:
    """An account with :data:`PASSWORD`; in Mongolian (the default for new accounts) unless ``language``."""
    account = await accounts_db.create_account(
        db, email or f"{role}@example.org", role=role, password_hash=password_hash()
    )
    if language is not None:
        await accounts_db.set_language(db, account.id, language)
        account = await accounts_db.get_account(db, account.id)
    return account


async def new_session(db: asyncpg.Connection, account: Account) -> str:
    """A live session for the account, as sign-in would create it."""
    return await auth.start_session(db, account.id, None)


async def new_token(db: asyncpg.Connection, account: Account) -> str:
    token = auth.new_api_token()
    await accounts_db.create_api_token(db, account.id, auth.hash_token(token), "test")
    return token


HOST = "testserver.local"  # where litestar's test client sends requests, and cookies belong


def set_cookie(client: AsyncTestClient, name: str, value: str) -> None:
    """Replace a cookie in the client's jar, as the server would have set it."""
    client.cookies.delete(name)
    client.cookies.set(name, value, domain=HOST)


async def sign_in_as(
    client: AsyncTestClient, db: asyncpg.Connection, role: str, *, language: str | None = None
) -> Account:
    """Create an account of this role and put a live session cookie into the client."""
    account = await make_account(db, role, language=language)
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, account))
    return account


async def csrf_token(client: AsyncTestClient) -> str:
    """The CSRF token forms carry (the middleware sets its cookie on a safe request)."""
    if "csrftoken" not in client.cookies:
        await client.get("/sign-in")
    return client.cookies["csrftoken"]


async def post_form(
    client: AsyncTestClient, path: str, data: Mapping[str, str] | None = None, **kw: Any
):
    token = await csrf_token(client)
    return await client.post(path, data={**(data or {}), "_csrf_token": token}, **kw)


@pytest.fixture(name="client")
async def client_fixture(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    """A test client of the whole application, on this test's database."""
    app = create_app(settings, database_url=settings.database_url)
    async with AsyncTestClient(app) as test_client:
        # Redirects are part of what is tested (sign-in, post-redirect-get).
        test_client.follow_redirects = False
        yield test_client


@pytest.fixture(name="study")
async def study_fixture(db: asyncpg.Connection) -> Study:
    return await make_study(db)


def text_of(html: str) -> str:
    """The visible text of a page, tags removed and spaces collapsed (enough for assertions)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
