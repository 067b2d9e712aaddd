"""One handler maps the error tree to HTTP: an HTML page (or htmx fragment) for pages, JSON for the API."""

from __future__ import annotations

import logging
from http import HTTPStatus

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import Scope

from survey.errors import SurveyError
from survey.web.i18n import request_language
from survey.web.messages import CATALOGUE

logger = logging.getLogger(__name__)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/schema")) or (
        "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", "")
    )


def _is_status_phrase(message: str, status: int) -> bool:
    try:
        return message.strip().lower() == HTTPStatus(status).phrase.lower()
    except ValueError:
        return False


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return Response({"status_code": status, "detail": message}, status_code=status)
    language = request_language(request)
    known = f"error_title.{status}" in CATALOGUE
    suffix = status if known else "other"
    return Template(
        template_name="error.html",
        context={
            "lang": language,
            "status": status,
            "title": CATALOGUE.translate(f"error_title.{suffix}", language),
            "body": CATALOGUE.translate(f"error_body.{suffix}", language),
            "reason_label": CATALOGUE.translate("error_reason", language),
            "home_label": CATALOGUE.translate("error_home", language),
            # The reason is written by the code in English (the template marks it so); a bare status
            # phrase ("Not Found") says nothing the title does not, and a 500's reason is for the log.
            "message": "" if status >= 500 or _is_status_phrase(message, status) else message,
            "fragment": request.headers.get("hx-request") == "true",
        },
        status_code=status,
        media_type=MediaType.HTML,
    )


def logged_path(scope: Scope) -> str:
    """What a log line names of a request: the route it matched (its template, never the values in it),
    or, for a request that matched none, its path with the token of a field address cut off (the token
    is a device's whole credential; survey.field)."""
    route = scope.get("path_template")
    if route:
        return route
    path = scope.get("path", "")
    return "/field/{token}/…" if path.startswith("/field/") else path


def survey_error_handler(request: Request, exc: SurveyError) -> Response:
    return error_response(request, exc.status_code, exc.message)


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    response = error_response(request, exc.status_code, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def database_data_error_handler(request: Request, exc: asyncpg.DataError) -> Response:
    """PostgreSQL refused a value sent by the client (a NUL character, a number out of range): a 400."""
    logger.info("refused data on %s %s: %s", request.method, logged_path(request.scope), exc)
    return error_response(request, 400, "The request contains a value that cannot be stored.")


def internal_error_handler(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, logged_path(request.scope))
    return error_response(request, HTTP_500_INTERNAL_SERVER_ERROR, "Something went wrong")


EXCEPTION_HANDLERS = {
    SurveyError: survey_error_handler,
    # Class 22 errors ("data exception") come from values, and every value comes from a request.
    asyncpg.DataError: database_data_error_handler,
    HTTPException: http_error_handler,
    HTTP_500_INTERNAL_SERVER_ERROR: internal_error_handler,
}
