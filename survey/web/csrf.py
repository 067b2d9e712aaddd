"""CSRF tokens bound to the browser's session, on every unsafe request outside the excluded paths.

litestar's own middleware is a double submit: any cookie ``csrftoken`` with a matching header passes. So
whoever can plant a cookie in a signed-in browser (a sibling sub-domain, a man in the middle on plain
http) could plant a pair of their own and forge that browser's requests. Here a token is only valid for
the session it was issued to:

* A token is a 16-byte nonce and a 16-byte tag, ``HMAC(secret, binding + nonce)``, where the binding is
  the SHA-256 of the browser's session cookie (or "anonymous" before sign-in). Without the secret key
  nobody can make a tag, and a tag made for one session is worthless in another.
* The cookie ``csrftoken`` carries the token (issued on a safe request when missing or not valid for the
  current session); the form field ``_csrf_token`` or the header ``x-csrftoken`` must carry the same
  nonce, with a tag valid for the session the request presents.
* Before sign-in there is no session to bind to, and anyone can fetch a valid anonymous pair. Sign-in is
  therefore also refused when the browser says the request comes from another site (``Sec-Fetch-Site``,
  which every current browser sends, or else an ``Origin`` that is not this site's).
* What pages show is masked afresh on every response (a random pad XORed over the token), so that a
  compressed page reveals nothing about it (BREACH).

Templates keep litestar's interface: ``{{ csrf_input }}`` and ``{{ csrf_token() }}`` read the token this
middleware leaves in the request's scope state.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from typing import Any, Final
from urllib.parse import urlsplit

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import RequestEncodingType
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

__all__ = ["COOKIE", "FIELD", "HEADER", "SessionBoundCSRF"]

COOKIE: Final = "csrftoken"
FIELD: Final = "_csrf_token"
HEADER: Final = "x-csrftoken"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_PART = 16  # bytes of nonce, and of tag
_RAW = 2 * _PART
REFUSED: Final = "CSRF token verification failed. Reload the page and send the form again."
CROSS_SITE: Final = "CSRF check failed: this form was sent from another site."


class SessionBoundCSRF:
    """ASGI middleware; ``exclude`` are regular expressions matched at the start of the path."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret: str,
        session_cookie: str,
        exclude: Sequence[str],
        secure: bool,
        base_url: str,
    ) -> None:
        self.app = app
        self.key = hashlib.sha256(b"survey csrf\x00" + secret.encode()).digest()
        self.session_cookie = session_cookie
        self.exclude = re.compile("|".join(f"(?:{pattern})" for pattern in exclude))
        self.secure = secure
        parts = urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}".lower()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.exclude.match(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        request: Any = scope["litestar_app"].request_class(scope=scope, receive=receive)
        binding = self._binding(request.cookies.get(self.session_cookie))
        in_cookie = self._valid(request.cookies.get(COOKIE), binding)
        state = ScopeState.from_scope(scope)
        if request.method in SAFE_METHODS:
            token = in_cookie or self._new(binding)
            state.csrf_token = _mask(token)
            if in_cookie is None:
                send = self._setting_cookie(send, _mask(token))
            await self.app(scope, receive, send)
            return
        if self._cross_site(request):
            raise PermissionDeniedException(CROSS_SITE)
        sent = request.headers.get(HEADER)
        content_type, _ = request.content_type
        if not sent and content_type in (
            RequestEncodingType.URL_ENCODED,
            RequestEncodingType.MULTI_PART,
        ):
            value = (await request.form()).get(FIELD)
            sent = value if isinstance(value, str) else None
        if in_cookie is None or not hmac.compare_digest(
            self._valid(sent, binding) or b"", in_cookie
        ):
            raise PermissionDeniedException(REFUSED)
        state.csrf_token = _mask(in_cookie)
        await self.app(scope, receive, send)

    # -- tokens --

    def _binding(self, session: str | None) -> bytes:
        if not session:
            return b"anonymous"
        return b"session:" + hashlib.sha256(session.encode()).digest()

    def _tag(self, binding: bytes, nonce: bytes) -> bytes:
        return hmac.new(self.key, binding + b"\x00" + nonce, hashlib.sha256).digest()[:_PART]

    def _new(self, binding: bytes) -> bytes:
        nonce = secrets.token_bytes(_PART)
        return nonce + self._tag(binding, nonce)

    def _valid(self, token: str | None, binding: bytes) -> bytes | None:
        """The unmasked token when it is well formed and issued for ``binding``; else None."""
        raw = _unmask(token)
        if raw is None or not hmac.compare_digest(raw[_PART:], self._tag(binding, raw[:_PART])):
            return None
        return raw

    # -- where a request comes from --

    def _cross_site(self, request: Any) -> bool:
        """Whether the browser says another site sent this request (browsers that say nothing pass).

        ``Sec-Fetch-Site`` first: every current browser sends it, whatever the page's referrer policy.
        ``Origin`` only without it, and not when it is ``null``: under ``Referrer-Policy: no-referrer``
        (every page of ours) browsers send ``null`` for their own same-origin forms.
        """
        fetch_site = request.headers.get("sec-fetch-site")
        if fetch_site is not None:
            return fetch_site not in ("same-origin", "none")
        origin = request.headers.get("origin")
        if origin is None or origin == "null":
            return False
        origin = origin.lower()
        host = (request.headers.get("host") or "").lower()
        return origin != self.origin and urlsplit(origin).netloc != host

    def _setting_cookie(self, send: Send, token: str) -> Send:
        cookie = Cookie(
            key=COOKIE, value=token, path="/", httponly=True, samesite="lax", secure=self.secure
        )
        header = cookie.to_header(header="")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message).add("set-cookie", header)
            await send(message)

        return send_with_cookie


def _mask(raw: bytes) -> str:
    pad = secrets.token_bytes(_RAW)
    return (pad + bytes(a ^ b for a, b in zip(raw, pad, strict=True))).hex()


def _unmask(token: str | None) -> bytes | None:
    if not token or len(token) != 4 * _RAW:
        return None
    try:
        data = bytes.fromhex(token)
    except ValueError:
        return None
    pad, masked = data[:_RAW], data[_RAW:]
    return bytes(a ^ b for a, b in zip(masked, pad, strict=True))
