"""Slow clients cannot stall the application (issue 12, finding 1).

The attack: many anonymous connections each start a respondent page's POST, declare a body of 1,000 bytes,
send a few of them and keep the socket open. When a route took a database connection before reading its
body, ten such sockets held the whole pool and ``/healthz`` and every respondent page waited with them.

Here against a real ``survey serve`` (uvicorn, its own database, the default settings): 50 such
connections are open while a real respondent opens the link and sends the first page, and the health
check answers; each of them gets 408 once the body deadline has passed.

The same question for responses: a CSV export streams while it holds a database connection, so a reader
that stops reading held it for as long as it liked (two of them emptied a pool of two, and the server
could not even stop). Now a response left unread for ``SURVEY_SEND_TIMEOUT`` seconds is abandoned: the
export gives its connection back, the health check answers again, and the reader's download is visibly
incomplete (no final chunk).
"""

from __future__ import annotations

import asyncio
import re
import socket
import time
from collections.abc import Callable
from html import unescape
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest

from survey.settings import Settings
from tests.helpers import Server, form_token, running_server

pytestmark = pytest.mark.slow

SLOW_CONNECTIONS = 50
#: What a person waiting for a page would call "answered at once"; the finding's threshold.
PROMPT = 1.0


def _campaign(server: Server, key: str) -> str:
    server.cli(
        "campaigns", "create", key, "--questionnaire", "trafficking-knowledge",
        "--design", "independent",
    )  # fmt: skip
    return server.open_wave(key, "pre")


def _connect(url: str, receive_buffer: int | None = None) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.socket()
    if receive_buffer is not None:
        # Set before connecting, so that the window the client offers stays this small.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.settimeout(10)
    sock.connect((parts.hostname, parts.port))
    return sock


def _slow_body(url: str, path: str) -> socket.socket:
    """A POST that declares 1,000 bytes of body, sends 13 of them and then nothing."""
    sock = _connect(url)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {urlsplit(url).netloc}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    )
    sock.sendall(head.encode() + b"_response_id=")
    return sock


def _timed(call: Callable[..., httpx.Response], *args, **kwargs) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = call(*args, **kwargs)
    return response, time.perf_counter() - started


def _status_line(sock: socket.socket, wait: float) -> bytes:
    sock.settimeout(wait)
    try:
        return sock.recv(4096).split(b"\r\n", 1)[0]
    except TimeoutError:
        return b"(nothing within the wait)"


def test_fifty_slow_bodies_leave_the_health_check_and_a_respondent_unaffected(
    server: Server,
) -> None:
    link = _campaign(server, "slow")
    path = urlsplit(link).path
    slow = [_slow_body(server.url, f"{path}/p/1") for _ in range(SLOW_CONNECTIONS)]
    try:
        time.sleep(0.5)  # every one of them is accepted and waiting on its body
        with httpx.Client(timeout=10, follow_redirects=False) as client:
            health, health_took = _timed(client.get, f"{server.url}/healthz")
            assert health.status_code == 200
            assert health_took < PROMPT, f"/healthz took {health_took:.2f} s"

            first, first_took = _timed(client.get, link, params={"lang": "en"})
            assert first.status_code == 200
            assert first_took < PROMPT, f"the first page took {first_took:.2f} s"
            (response_id,) = re.findall(r'name="_response_id" value="([^"]+)"', first.text)
            (action,) = re.findall(r'<form method="post" action="([^"]+)"', first.text)
            saved, saved_took = _timed(
                client.post,
                server.url + unescape(action),
                data={"_response_id": response_id, "consent": "yes"},
            )
            assert saved.status_code == 303, saved.text[:500]
            assert saved_took < PROMPT, f"saving the first page took {saved_took:.2f} s"

        # The slow bodies are dropped once the deadline has passed: 408, and the socket closed.
        deadline = Settings().body_timeout + 5
        for sock in slow[:3]:
            assert _status_line(sock, deadline) == b"HTTP/1.1 408 Request Timeout"
            sock.settimeout(5)
            while sock.recv(4096):
                pass  # the rest of the 408, then the end of the connection
    finally:
        for sock in slow:
            sock.close()


# -- a reader that stops reading ---------------------------------------------------------------------

STALL_ENV = {"SURVEY_POOL_SIZE": "2", "SURVEY_POOL_TIMEOUT": "1", "SURVEY_SEND_TIMEOUT": "2"}
#: Enough rows that the CSV (about 6 MB) outgrows every buffer between the server and a stalled reader.
ROWS = 40_000


async def _many_responses(database_url: str, wave_token: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(
            """INSERT INTO response (id, wave_id, version_id, language, status, answers, pages,
                                     started_at, updated_at, submitted_at)
               SELECT gen_random_uuid(), w.id, w.version_id, 'en', 'complete',
                      '{"consent": "yes", "age": 21}'::jsonb, '{}', now(), now(), now()
               FROM wave w, generate_series(1, $2) WHERE w.token = $1""",
            wave_token,
            ROWS,
        )
    finally:
        await conn.close()


def test_a_download_left_unread_gives_its_database_connection_back(
    pg_server_url: str, template_database: str
) -> None:
    with running_server(pg_server_url, template_database, env=STALL_ENV) as server:
        link = _campaign(server, "big")
        asyncio.run(_many_responses(server.env["DATABASE_URL"], link.rsplit("/", 1)[-1]))
        server.create_user("analyst@example.org", "analyst")
        analyst = server.signed_in("analyst@example.org")
        try:
            token = form_token(analyst, "/console/campaigns/big")
            cookies = "; ".join(f"{k}={v}" for k, v in analyst.cookies.items())
        finally:
            analyst.close()
        body = f"_csrf_token={token}&format=csv".encode()
        readers = []
        for _ in range(2):  # as many as the pool has connections
            sock = _connect(server.url, receive_buffer=4096)
            sock.sendall(
                f"POST /console/campaigns/big/export HTTP/1.1\r\nHost: {urlsplit(server.url).netloc}"
                f"\r\nCookie: {cookies}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            readers.append(sock)
        try:
            assert _status_line(readers[0], 10) == b"HTTP/1.1 200 OK"
            # An export is written to a file before it is sent (survey/exports/files.py), so downloads
            # left unread hold no database connection: the health check answers at once, with a pool
            # of as many connections as there are stalled downloads.
            assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
            time.sleep(float(STALL_ENV["SURVEY_SEND_TIMEOUT"]) + 1)
            # What the stalled reader finally gets ends without the last chunk: an incomplete download.
            received = b""
            readers[1].settimeout(10)
            while chunk := readers[1].recv(1 << 16):
                received += chunk
            assert received.startswith(b"HTTP/1.1 200 OK")
            assert not received.endswith(b"0\r\n\r\n"), received[-200:]
        finally:
            for sock in readers:
                sock.close()
