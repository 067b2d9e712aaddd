"""Helpers shared by test modules (a test module never imports another test module)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx

from survey.console.auth import SESSION_COOKIE
from survey.db.server import with_database
from survey.web.csrf import COOKIE as CSRF_COOKIE
from survey.web.i18n import Catalogue
from tests.conftest import _execute, server_data_dir

#: The password of the accounts :meth:`Server.create_user` makes.
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


# -- a real ``survey serve`` -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running ``survey serve`` and the environment its command line uses."""

    url: str
    env: dict[str, str]
    log: Path

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

    def create_user(self, email: str, role: str) -> None:
        """An account with :data:`PASSWORD`, given on standard input as a script would."""
        self.cli("users", "create", email, "--role", role, stdin=PASSWORD + "\n")

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


@contextmanager
def running_server(
    pg_server_url: str, template_database: str, *, env: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """``survey serve`` on a free port, with its own data directory and its own database (a clone of
    the migrated template); ``env`` adds settings. Stopped with SIGTERM, which must end it cleanly."""
    name = f"serve_{uuid.uuid4().hex[:12]}"
    asyncio.run(_execute(pg_server_url, f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"'))
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
        yield Server(url=url, env=environment, log=log)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        asyncio.run(_execute(pg_server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
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
        client.cookies.set(SESSION_COOKIE, session, domain=TEST_CLIENT_HOST)
    client.cookies.delete(CSRF_COOKIE)
    await client.get("/sign-in")
    return client.cookies[CSRF_COOKIE]
