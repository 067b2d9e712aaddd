"""One handler maps the error tree to HTTP: an HTML page (or htmx fragment) for pages, JSON for the API."""

from __future__ import annotations

import logging

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from survey.errors import SurveyError

logger = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Cannot compute",
    429: "Too many requests",
    500: "Something went wrong",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/schema")) or (
        "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", "")
    )


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return Response({"status_code": status, "detail": message}, status_code=status)
    fragment = request.headers.get("hx-request") == "true"
    return Template(
        template_name="error.html",
        context={
            "status": status,
            "title": TITLES.get(status, "Error"),
            "message": message,
            "fragment": fragment,
        },
        status_code=status,
        media_type=MediaType.HTML,
    )


def survey_error_handler(request: Request, exc: SurveyError) -> Response:
    return error_response(request, exc.status_code, exc.message)


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    response = error_response(request, exc.status_code, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def database_data_error_handler(request: Request, exc: asyncpg.DataError) -> Response:
    """PostgreSQL refused a value sent by the client (a NUL character, a number out of range): a 400."""
    logger.info("refused data on %s %s: %s", request.method, request.url.path, exc)
    return error_response(request, 400, "The request contains a value that cannot be stored.")


def internal_error_handler(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(request, HTTP_500_INTERNAL_SERVER_ERROR, TITLES[500])


EXCEPTION_HANDLERS = {
    SurveyError: survey_error_handler,
    # Class 22 errors ("data exception") come from values, and every value comes from a request.
    asyncpg.DataError: database_data_error_handler,
    HTTPException: http_error_handler,
    HTTP_500_INTERNAL_SERVER_ERROR: internal_error_handler,
}
