"""Helpers shared by test modules (a test module never imports another test module).

- pages as a reader meets them: :func:`visible_text`, :func:`english_left`;
- respondent pages: a wave opened on a questionnaire file, the form of a page read from its HTML, pages
  sent as a browser sends them;
- the console: accounts signed in without the cost of argon2 on every request, API tokens, forms posted
  with their CSRF token.
"""

from __future__ import annotations

import functools
import re
import string
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import asyncpg
from litestar.testing import AsyncTestClient

from survey.console import auth
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db.accounts import Account
from survey.db.campaigns import Wave
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_file
from survey.web.i18n import Catalogue

HTMX = {"HX-Request": "true"}


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
        hidden_input = tag == "input" and ("type", "hidden") in attrs
        for name, value in attrs:
            if value and name in self.SHOWN_ATTRIBUTES and not hidden_input:
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


# -- respondent pages ---------------------------------------------------------------------------------


async def open_wave(
    db: asyncpg.Connection,
    path: Path,
    *,
    campaign: str = "camp",
    phase: str = "pre",
    status: str = "open",
) -> Wave:
    """Publish ``path``, create a campaign (if needed) and a wave of it, set to ``status``."""
    definition = load_file(path)
    await publish(db, definition)
    try:
        await campaigns_db.get_campaign(db, campaign)
    except Exception:
        await campaigns_db.create_campaign(
            db, campaign, questionnaire=definition.key, design="independent"
        )
    wave = await campaigns_db.add_wave(db, campaign, phase=phase)
    return await campaigns_db.set_wave_status(db, wave.key, status)


async def stored(db: asyncpg.Connection, wave: Wave) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT id, status, answers, pages, language, panel_key, version_id FROM response "
        "WHERE wave_id = $1 ORDER BY started_at",
        wave.id,
    )


async def public_id(db: asyncpg.Connection, response_id: uuid.UUID) -> str:
    """The identifier exports and the API show for a response (not the one its cookie holds)."""
    return str(await db.fetchval("SELECT public_id FROM response WHERE id = $1", response_id))


async def post_form(
    client: AsyncTestClient,
    url: str,
    pairs: list[tuple[str, str]],
    headers: dict[str, str] | None = None,
):
    """POST ``pairs`` as a browser sends a form (fields may repeat)."""
    return await client.post(
        url,
        content=urlencode(pairs).encode("ascii"),
        follow_redirects=False,
        headers={"content-type": "application/x-www-form-urlencoded", **(headers or {})},
    )


@dataclass
class Control:
    name: str
    kind: str  # input type, "select" or "textarea"
    id: str | None
    value: str
    checked: bool
    attrs: dict[str, str]


@dataclass
class Form:
    action: str | None = None
    hidden: dict[str, str] = field(default_factory=dict)
    controls: list[Control] = field(default_factory=list)
    ids: dict[str, dict[str, str]] = field(default_factory=dict)
    html_lang: str | None = None
    labels_for: set[str] = field(default_factory=set)
    legends: int = 0
    fieldsets: list[dict[str, str]] = field(default_factory=list)

    def names(self) -> list[str]:
        """Question names in page order, each once."""
        seen: list[str] = []
        for c in self.controls:
            if c.name not in seen:
                seen.append(c.name)
        return seen

    def values(self, name: str) -> list[str]:
        """What the browser would send for ``name`` as the page stands (checked, selected, typed)."""
        out = []
        for c in self.controls:
            if c.name != name:
                continue
            if c.kind in ("radio", "checkbox"):
                if c.checked:
                    out.append(c.value)
            elif c.value != "" or c.kind != "select":
                out.append(c.value)
        return out

    def options(self, name: str) -> list[str]:
        return [c.value for c in self.controls if c.name == name and c.value != ""]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.form = Form()
        self._in_main_form = False
        self._select: str | None = None
        self._select_attrs: dict[str, str] = {}
        self._textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if "id" in attrs:
            self.form.ids[attrs["id"]] = {"tag": tag, **attrs}
        if tag == "html":
            self.form.html_lang = attrs.get("lang")
        if tag == "form" and "/p/" in attrs.get("action", ""):
            self._in_main_form = True
            self.form.action = attrs["action"]
        if not self._in_main_form:
            return
        if tag == "label" and "for" in attrs:
            self.form.labels_for.add(attrs["for"])
        if tag == "legend":
            self.form.legends += 1
        if tag == "fieldset":
            self.form.fieldsets.append(attrs)
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind == "hidden":
                self.form.hidden[attrs["name"]] = attrs.get("value", "")
            else:
                self.form.controls.append(
                    Control(
                        attrs["name"],
                        kind,
                        attrs.get("id"),
                        attrs.get("value", ""),
                        "checked" in attrs,
                        attrs,
                    )
                )
        elif tag == "select":
            self._select = attrs["name"]
            self._select_attrs = attrs
        elif tag == "option" and self._select:
            self.form.controls.append(
                Control(
                    self._select,
                    "select",
                    self._select_attrs.get("id"),
                    attrs.get("value", ""),
                    "selected" in attrs,
                    self._select_attrs,
                )
            )
        elif tag == "textarea":
            self._textarea = Control(attrs["name"], "textarea", attrs.get("id"), "", False, attrs)
            self.form.controls.append(self._textarea)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_main_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data


def read_page(html: str) -> Form:
    parser = _Parser()
    parser.feed(html)
    return parser.form


async def start(client: AsyncTestClient, wave: Wave, lang: str = "en") -> Form:
    """The welcome page's form (the first page), not yet sent."""
    response = await client.get(f"/r/{wave.token}?lang={lang}")
    assert response.status_code == 200, response.text
    return read_page(response.text)


def fields_of(form: Form, answers: dict[str, list[str]]) -> list[tuple[str, str]]:
    pairs = [("_response_id", form.hidden["_response_id"]), ("_lang", form.hidden["_lang"])]
    for name, values in answers.items():
        pairs.extend((name, v) for v in values)
    return pairs


async def send(
    client: AsyncTestClient, form: Form, answers: dict[str, list[str]], *, htmx: bool = False
):
    assert form.action is not None
    return await post_form(client, form.action, fields_of(form, answers), HTMX if htmx else None)


async def follow(client: AsyncTestClient, sent) -> Form:
    """The page a 303 after a send leads to."""
    assert sent.status_code == 303, sent.text
    page = await client.get(sent.headers["location"])
    assert page.status_code == 200, page.text
    return read_page(page.text)


# -- the console --------------------------------------------------------------------------------------


PASSWORD = "correct horse battery"


@functools.cache
def password_hash() -> str:
    # Hashed once per test session: argon2 is deliberately slow.
    return auth.hash_password(PASSWORD)


async def make_account(db: asyncpg.Connection, role: str, email: str | None = None) -> Account:
    return await accounts_db.create_account(
        db, email or f"{role}@example.org", role=role, password_hash=password_hash()
    )


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


async def sign_in_as(client: AsyncTestClient, db: asyncpg.Connection, role: str) -> Account:
    """Create an account of this role and put a live session cookie into the client."""
    account = await make_account(db, role)
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, account))
    return account


async def csrf_token(client: AsyncTestClient) -> str:
    """The CSRF token forms carry (the middleware sets its cookie on a safe request)."""
    if "csrftoken" not in client.cookies:
        await client.get("/sign-in")
    return client.cookies["csrftoken"]


async def post_console_form(
    client: AsyncTestClient, path: str, data: Mapping[str, str] | None = None, **kw: Any
):
    """POST a console form with its CSRF token."""
    token = await csrf_token(client)
    return await client.post(path, data={**(data or {}), "_csrf_token": token}, **kw)
