"""What every request and every response goes through, whatever its route.

* :func:`refuse_unusable_address`: a path with a control character (400), or a path or query string longer
  than anyone types or any link of ours is (414), is refused before any handler or the database sees it.
* :class:`NetworkDeadlines`: a request's body is read whole, under a deadline, *before* its handler runs,
  so that no handler (and no database connection it holds) ever waits on a slow client; a body that does
  not arrive in time gets 408. A response the client stops reading is dropped after ``send_timeout``, so
  that a streaming download cannot hold its database connection for as long as its reader sleeps.
* :func:`security_headers`: the same protective headers on every response (pages, errors, JSON, files):
  a strict Content-Security-Policy, no framing, no MIME sniffing, no referrer, and ``no-store`` unless the
  response chose its own caching (only static files do, with their long cache).
* :func:`client_address`: the client's address for throttling, taken from a forwarded header only when
  the connection comes from a configured trusted proxy.

The limits are settings (``survey/settings.py``), explained in docs/security.md.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Iterable
from typing import Final

import msgspec
from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from survey.settings import Settings
from survey.web.i18n import LANGUAGES, Catalogue

__all__ = [
    "FRAMED_BY_SELF",
    "MAX_PATH_BYTES",
    "MAX_QUERY_BYTES",
    "NetworkDeadlines",
    "client_address",
    "refuse_unusable_address",
    "security_headers",
]

logger = logging.getLogger(__name__)

#: The longest path served. Keys and tokens are at most 81 characters; the longest path of ours is far
#: below this. Longer ones are refused before any lookup.
MAX_PATH_BYTES: Final = 1024
#: The longest query string. Ours carry a language, a page or a cursor, and ``next`` (a local path);
#: 2 KB also keeps any single value below the size PostgreSQL can index (2,704 bytes).
MAX_QUERY_BYTES: Final = 2048

#: ``frame-src 'self'``: a page may frame pages of this site only, which all refuse it
#: (``frame-ancestors 'none'``) but the editor's live preview (:data:`FRAMED_BY_SELF`).
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

#: The headers of the one page that this site may frame: the editor's live preview of a draft
#: (:mod:`survey.console.answering`), shown beside the questionnaire in an ``<iframe>``. Only pages of this
#: very origin may frame it; every other response keeps ``frame-ancestors 'none'`` and ``DENY`` (set below
#: on whatever does not set its own), and tests/security/test_security_headers.py holds both rules.
FRAMED_BY_SELF: Final = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    ),
    "X-Frame-Options": "SAMEORIGIN",
}

# Refusals made here, before any page machinery: plain text in both languages (Mongolian first), since
# the page's language is not known yet; the API gets JSON.
MESSAGES: Final = Catalogue(
    {
        "control_character": {
            "mn": "Хаяг дотор хэрэглэх боломжгүй тэмдэгт байна.",
            "en": "The address contains a control character.",
        },
        "address_too_long": {
            "mn": "Хаяг хэт урт байна. Холбоосоо шалгаад дахин оролдоно уу.",
            "en": "The address is too long. Please check the link and try again.",
        },
        "body_too_slow": {
            "mn": (
                "Илгээсэн мэдээлэл хэт удаан ирсэн тул хүлээж авсангүй. Холболтоо шалгаад "
                "дахин илгээнэ үү."
            ),
            "en": (
                "What was sent took too long to arrive, so it was not accepted. Please check the "
                "connection and send it again."
            ),
        },
    }
)


async def _refuse(
    scope: Scope, send: Send, status: int, key: str, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    """A complete response made here: JSON for the API, plain text in every language otherwise."""
    path = scope.get("path", "")
    if path.startswith(("/api/", "/schema")):
        detail = MESSAGES.translate(key, "en")
        body = msgspec.json.encode({"status_code": status, "detail": detail})
        content_type = b"application/json"
    else:
        body = "\n".join(MESSAGES.translate(key, lang) for lang in LANGUAGES).encode() + b"\n"
        content_type = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


# -- addresses ---------------------------------------------------------------------------------------


def refuse_unusable_address(app: ASGIApp) -> ASGIApp:
    """A path with a NUL or another control character is nobody's page: 400 before any handler runs.
    A path or query string longer than the limits above: 414.

    File and database layers cannot take control characters (a NUL ends a C string and PostgreSQL text
    refuses it), and over-long values cannot be indexed, so both are refused once here instead of failing
    deep inside one of them.
    """

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope.get("path", "")
            if any(ord(c) < 32 or ord(c) == 127 for c in path):
                await _refuse(scope, send, 400, "control_character")
                return
            # Some servers (httpx's ASGI transport) put the query string into raw_path as well.
            raw_path = (scope.get("raw_path") or path.encode()).split(b"?", 1)[0]
            if (
                len(raw_path) > MAX_PATH_BYTES
                or len(scope.get("query_string", b"")) > MAX_QUERY_BYTES
            ):
                await _refuse(scope, send, 414, "address_too_long")
                return
        await app(scope, receive, send)

    return middleware


# -- slow clients ------------------------------------------------------------------------------------


class NetworkDeadlines:
    """Bound every wait on a client: the body arrives within its deadline, the response is read.

    The body deadline is ``body_timeout`` seconds plus one second for every ``body_min_rate`` bytes the
    request declares, so a phone on a slow network still sends a page (a few kilobytes) in a fraction of
    the base time, and a workbook of megabytes gets the time a slow line needs. A body larger than the
    route accepts is not read at all: litestar refuses it by its Content-Length (413).

    A response the client leaves unread for ``send_timeout`` seconds is abandoned as if the client had
    gone: nothing more is sent, and the application is told the client disconnected, which is what
    makes a streaming download stop where it is and give back its database connection. (Raising an
    error from ``send`` instead would leave the download's generator, and the connection it holds,
    alive until Python's cycle collector happens to run.) The server then closes the connection, and
    the client sees an incomplete download, as it should.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.body_timeout = settings.body_timeout
        self.body_min_rate = settings.body_min_rate
        self.send_timeout = settings.send_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = None
        if _has_body(scope):
            answered, body = await self._read_body(scope, receive, send)
            if answered:
                return
        stalled = asyncio.Event()
        await self.app(scope, _receive(receive, body, stalled), self._bounded(scope, send, stalled))

    async def _read_body(
        self, scope: Scope, receive: Receive, send: Send
    ) -> tuple[bool, bytes | None]:
        """(answered, body): the whole body; or answered, when the request was answered here (408) or
        the client went away; or no body, when it is not to be read at all."""
        declared = _content_length(scope)
        limit = _body_limit(scope)
        if declared is not None and limit is not None and declared > limit:
            return False, None  # refused by litestar from the header alone, without reading
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout + (declared or 0) / self.body_min_rate
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                logger.info(
                    "%s %s: body not received within the deadline (%d of %s bytes); 408",
                    scope.get("method", ""),
                    scope.get("path_template") or scope.get("path", ""),
                    size,
                    declared if declared is not None else "?",
                )
                await _refuse(scope, send, 408, "body_too_slow", [(b"connection", b"close")])
                return True, None
            if message["type"] == "http.disconnect":
                return True, None
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            # Past the route's limit nothing more is read: litestar counts what it is given and says 413.
            if not message.get("more_body", False) or (limit is not None and size > limit):
                break
        return False, b"".join(chunks)

    def _bounded(self, scope: Scope, send: Send, stalled: asyncio.Event) -> Send:
        timeout = self.send_timeout

        async def bounded_send(message: Message) -> None:
            if stalled.is_set():
                return  # abandoned: nothing more goes to this client
            try:
                async with asyncio.timeout(timeout):
                    await send(message)
            except TimeoutError:
                stalled.set()
                logger.warning(
                    "%s %s: the client read nothing for %g s; response abandoned",
                    scope.get("method", ""),
                    scope.get("path_template") or scope.get("path", ""),
                    timeout,
                )

        return bounded_send


def _receive(receive: Receive, body: bytes | None, stalled: asyncio.Event) -> Receive:
    """What the application receives: the body read ahead (if any) as one message, then the
    connection's own messages (a disconnect, when it comes), and a disconnect as soon as the response
    was abandoned."""
    pending: list[Message] = (
        [] if body is None else [{"type": "http.request", "body": body, "more_body": False}]
    )
    disconnect: Message = {"type": "http.disconnect"}

    async def receive_next() -> Message:
        if pending:
            return pending.pop()
        if stalled.is_set():
            return disconnect
        # Only a streaming response listens past its body: wait for the client or for abandonment.
        message = asyncio.ensure_future(receive())
        abandoned = asyncio.ensure_future(stalled.wait())
        try:
            await asyncio.wait((message, abandoned), return_when=asyncio.FIRST_COMPLETED)
        finally:
            abandoned.cancel()
            if not message.done():
                message.cancel()
        return message.result() if message.done() and not message.cancelled() else disconnect

    return receive_next  # type: ignore[return-value]


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value
    return None


def _content_length(scope: Scope) -> int | None:
    raw = _header(scope, b"content-length")
    if raw is None or not raw.strip().isdigit():
        return None  # absent or malformed: litestar answers a malformed one with 400
    return int(raw)


def _has_body(scope: Scope) -> bool:
    declared = _content_length(scope)
    if declared is not None:
        return declared > 0
    return _header(scope, b"transfer-encoding") is not None


def _body_limit(scope: Scope) -> int | None:
    handler = scope.get("route_handler")
    resolve = getattr(handler, "resolve_request_max_body_size", None)
    return resolve() if resolve is not None else None


# -- response headers --------------------------------------------------------------------------------


def security_headers(settings: Settings):
    """A ``before_send`` hook that puts the protective headers on every response that lacks them."""
    always = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        # Respondent links carry their wave's token: never hand a URL of ours to another site.
        ("Referrer-Policy", "no-referrer"),
        # Pages hold answers, accounts and results: no browser or proxy keeps a copy. Static files say
        # otherwise (fingerprinted, cached for a year), and so keep their own header.
        ("Cache-Control", "no-store"),
    ]
    if settings.base_url.lower().startswith("https://"):
        always.append(("Strict-Transport-Security", "max-age=31536000"))

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in always:
            if name not in headers:
                headers[name] = value

    return before_send


# -- the client's address ----------------------------------------------------------------------------


def client_address(scope: Scope, settings: Settings) -> str | None:
    """The address of the client that sent the request, for throttling only.

    The connection's own peer, unless that peer is one of ``trusted_proxies``: then the rightmost address
    in ``client_address_header`` that is not itself a trusted proxy (each proxy appends the address it
    received the request from, so the addresses to the left of it could be anything the client wrote).
    """
    client = scope.get("client")
    peer = client[0] if client else None
    trusted = settings.trusted_proxies
    if peer is None or not trusted or not _is_in(peer, trusted):
        return peer
    name = settings.client_address_header.encode()
    values = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == name]
    hops = [hop.strip() for value in values for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_address(hop):
            break  # a mangled header: trust nothing further to the left
        if not _is_in(hop, trusted):
            return hop
    return peer


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_in(address: str, networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
