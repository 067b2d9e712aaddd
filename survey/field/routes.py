"""The OpenRosa endpoints of field collection, all under a field server address ``/field/{token}``:

=======================================  ============================================================
``GET  /field/{token}/formList``         the form list: the wave's form (none once the wave is closed)
``GET  /field/{token}/form.xml``         the wave's XForm (ETag: its MD5, the form list's hash)
``GET  /field/{token}/manifest``         its manifest: empty (the form has no media files)
``HEAD /field/{token}/submission``       204 with ``X-OpenRosa-Accept-Content-Length``: ODK Collect asks
                                         before it sends
``GET  /field/{token}/submission``       the same (HTTP wants a GET where there is a HEAD; Central too)
``POST /field/{token}/submission``       an interview, multipart with ``xml_submission_file``: 201, or a
                                         4xx whose message the device shows (the interview stays in its
                                         outbox)
=======================================  ============================================================

ODK Collect and KoboCollect take the address ``<SURVEY_BASE_URL>/field/{token}`` as their server and
add ``/formList`` and ``/submission`` themselves. The token is the only credential: devices have no
cookie and no account, as with ODK Central's app users. It is unguessable and revocable, and the
request log names the route, never the token. Every reply carries ``X-OpenRosa-Version: 1.0`` and
``Date``.

A submission's body is read in full, within its limit, before any pool connection is taken; the
connection is held only for the database work (:func:`survey.field.service.receive`).
"""

from __future__ import annotations

import asyncio
import re
from typing import Final

from litestar import Request, Router, get, head, post
from litestar.datastructures import ResponseHeader
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from litestar.response import Response
from litestar.status_codes import HTTP_413_REQUEST_ENTITY_TOO_LARGE

from survey.collect.routes import collect_state
from survey.db import field as field_db
from survey.db.field import FieldAddress
from survey.field import openrosa, service
from survey.field.instance import MAX_SUBMISSION_BYTES, Unreadable, read_instance, read_submission
from survey.field.messages import say
from survey.field.service import FieldState, Refused, Taken
from survey.field.xform import XForm, XFormUnavailable
from survey.web import request_pool

__all__ = ["PUBLIC", "field_router", "field_state"]

#: Who may call these routes: anyone who has the address (the token in it is the credential).
PUBLIC: Final = {"roles": "public"}
#: What a token looks like (``secrets.token_urlsafe``); anything else is not looked up.
_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{32,64}")
#: Replies are about one device's interviews, and their address holds the secret: kept by nobody.
NO_STORE: Final = "no-store"
#: The form and its manifest: cached by the device, checked again each time (the ETag says if it changed).
REVALIDATE: Final = "private, no-cache"

_TAKEN_MESSAGES: Final = {
    "created": "received",
    "again": "received_again",
    "edited": "edited",
    "older": "received_older",
}


def field_state(request: Request) -> FieldState:
    """The application's field state, sharing the respondent routes' versions, secrets and limiter."""
    state = request.app.state.get("field")
    if state is None:
        state = request.app.state["field"] = FieldState(collect_state(request))
    return state


#: The languages of what the replies say (survey.field.messages.say).
SAID_IN: Final = "mn, en"


def _reply(
    body: bytes,
    status: int,
    *,
    cache: str = NO_STORE,
    accept_length: bool = False,
    language: str | None = None,
    extra: dict[str, str] | None = None,
) -> Response[bytes]:
    headers = openrosa.headers(
        accept_length=MAX_SUBMISSION_BYTES if accept_length else None, language=language
    )
    headers["Cache-Control"] = cache
    headers.update(extra or {})
    return Response(body, status_code=status, media_type=openrosa.XML_TYPE, headers=headers)


#: Refusals a device may simply send again later, and when.
_RETRY_AFTER: Final = {429: "60"}


def _refusal(
    reason: str, status: int, *, accept_length: bool = False, **params: object
) -> Response[bytes]:
    body = openrosa.message(say(reason, **params), nature="error")
    retry = {"Retry-After": _RETRY_AFTER[status]} if status in _RETRY_AFTER else None
    return _reply(body, status, accept_length=accept_length, language=SAID_IN, extra=retry)


async def _address(
    request: Request, token: str, *, accept_length: bool = False
) -> FieldAddress | Response[bytes]:
    """The address the path names, or the refusal to send (unknown: 404, revoked: 403)."""
    if not _TOKEN.fullmatch(token):
        return _refusal("unknown_address", 404, accept_length=accept_length)
    async with request_pool(request).acquire() as conn:
        found = await field_db.address_by_token(conn, token)
    if found is None:
        return _refusal("unknown_address", 404, accept_length=accept_length)
    if found.key.revoked_at is not None:
        return _refusal("revoked", 403, accept_length=accept_length)
    return found


async def _made(request: Request, address: FieldAddress) -> XForm:
    """The wave's XForm, made once per process (XFormUnavailable when its questionnaire has none)."""
    state = field_state(request)
    async with request_pool(request).acquire() as conn:
        pinned = await state.collect.pinned(conn, address.wave.version_id)
    return await state.xform(address.wave, pinned)


async def _xform(request: Request, address: FieldAddress) -> openrosa.FormEntry | None:
    """The wave's XForm as the form list names it; None for a closed wave."""
    wave = address.wave
    if wave.status == "closed":
        return None
    xform = await _made(request, address)
    base = address.key.url(request.app.state.settings.base_url)
    name = f"{xform.title} ({wave.key})"
    return openrosa.FormEntry(
        form_id=xform.form_id,
        name=name,
        version=xform.version,
        md5=xform.md5,
        download_url=f"{base}/form.xml",
        manifest_url=f"{base}/manifest",
    )


@get("/{token:str}/formList", opt=PUBLIC, name="field:form-list")
async def form_list(request: Request, token: FromPath[str]) -> Response[bytes]:
    """The OpenRosa form list: the wave's form, or none once the wave is closed (``?formID=`` filters)."""
    address = await _address(request, token)
    if isinstance(address, Response):
        return address
    form_id = request.query_params.get("formID")
    try:
        entry = await _xform(request, address)
    except XFormUnavailable:
        return _refusal("no_xform", 409)
    forms = [entry] if entry is not None and form_id in (None, entry.form_id) else []
    return _reply(openrosa.form_list(forms), 200)


@get("/{token:str}/form.xml", opt=PUBLIC, name="field:xform")
async def xform(request: Request, token: FromPath[str]) -> Response[bytes]:
    """The wave's XForm; ``304`` when the device has it (``If-None-Match``)."""
    address = await _address(request, token)
    if isinstance(address, Response):
        return address
    try:
        found = await _made(request, address)
    except XFormUnavailable:
        return _refusal("no_xform", 409)
    etag = f'"{found.md5}"'
    if etag in request.headers.get("if-none-match", ""):
        return _reply(b"", 304, cache=REVALIDATE, extra={"ETag": etag})
    return _reply(found.xml, 200, cache=REVALIDATE, extra={"ETag": etag})


@get("/{token:str}/manifest", opt=PUBLIC, name="field:manifest")
async def manifest(request: Request, token: FromPath[str]) -> Response[bytes]:
    """The form's manifest: no media files."""
    address = await _address(request, token)
    if isinstance(address, Response):
        return address
    return _reply(openrosa.manifest(), 200, cache=REVALIDATE)


async def _ready(request: Request, token: str) -> Response[None]:
    address = await _address(request, token)
    status = address.status_code if isinstance(address, Response) else 204
    headers = openrosa.headers(accept_length=MAX_SUBMISSION_BYTES)
    headers["Cache-Control"] = NO_STORE
    return Response(None, status_code=status, headers=headers)


@head("/{token:str}/submission", opt=PUBLIC, name="field:submission-head")
async def submission_head(request: Request, token: FromPath[str]) -> Response[None]:
    """204 and the largest submission taken (``X-OpenRosa-Accept-Content-Length``)."""
    return await _ready(request, token)


@get("/{token:str}/submission", opt=PUBLIC, name="field:submission-get")
async def submission_get(request: Request, token: FromPath[str]) -> Response[None]:
    """As ``HEAD``: 204 (OpenRosa has no GET here; HTTP wants one where there is a HEAD)."""
    return await _ready(request, token)


@post(
    "/{token:str}/submission",
    opt=PUBLIC,
    name="field:submission",
    request_max_body_size=MAX_SUBMISSION_BYTES,
)
async def submission(request: Request, token: FromPath[str]) -> Response[bytes]:
    """Store an interview; 201, or a 4xx with the reason (the interview stays on the device)."""
    address = await _address(request, token, accept_length=True)
    if isinstance(address, Response):
        return address
    try:
        body = await request.body()
    except HTTPException as exc:
        if exc.status_code != HTTP_413_REQUEST_ENTITY_TOO_LARGE:
            raise
        megabytes = MAX_SUBMISSION_BYTES // (1024 * 1024)
        return _refusal("too_large", 413, accept_length=True, megabytes=megabytes)
    try:
        xml = read_submission(
            body,
            request.headers.get("content-type", ""),
            request.headers.get("content-encoding", ""),
        )
        instance = await asyncio.to_thread(read_instance, xml)
    except Unreadable as exc:
        return _refusal(exc.reason, exc.status, accept_length=True, **exc.params)
    async with request_pool(request).acquire() as conn:
        outcome = await service.receive(conn, field_state(request), address, instance)
    match outcome:
        case Taken(kind="created", flagged=flagged) if flagged:
            text = say("received_flagged", count=flagged)
        case Taken(kind=kind):
            text = say(_TAKEN_MESSAGES[kind])
        case Refused(reason=reason, status=status, params=params):
            return _refusal(reason, status, accept_length=True, **params)
    return _reply(openrosa.message(text), 201, accept_length=True, language=SAID_IN)


def field_router() -> Router:
    """The field endpoints, mounted at ``/field``; not API operations, so not in the OpenAPI document."""
    return Router(
        path="/field",
        route_handlers=[form_list, xform, manifest, submission_head, submission_get, submission],
        response_headers=[
            ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
            # The address is a secret: never sent on as a referrer.
            ResponseHeader(name="Referrer-Policy", value="no-referrer"),
        ],
        opt=PUBLIC,
        include_in_schema=False,
    )
