"""Limits on what a form field or a query parameter may carry, checked before any query sees it.

PostgreSQL refuses to index a value of more than 2,704 bytes, and a number too large for its column is
an error deep in a query; both would surface as 500. Every console form is read through
:func:`form_fields`, which refuses a field longer than :data:`MAX_FIELD_LENGTH` characters (a route names
the few fields that may be longer, such as a whole questionnaire definition), and every number a user
types is read with :func:`whole_number`. Both raise :class:`~survey.errors.InvalidAnswer` (400) with a
sentence naming the field and the limit. (Query strings as a whole are capped earlier, in
``survey/web/security.py``.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from survey.errors import InvalidAnswer

if TYPE_CHECKING:
    # Only for the annotation: whole_number is used by service modules that import no litestar.
    from litestar import Request

__all__ = ["BIGINT_MAX", "INTEGER_MAX", "MAX_FIELD_LENGTH", "form_fields", "whole_number"]

#: The longest text a console field takes unless its route says otherwise: far longer than any key,
#: address or choice a form sends, and short enough that nothing stored from it could trouble an index.
MAX_FIELD_LENGTH: Final = 1000
#: PostgreSQL ``integer``: versions and other counts typed by a user.
INTEGER_MAX: Final = 2**31 - 1
#: PostgreSQL ``bigint``: ids.
BIGINT_MAX: Final = 2**63 - 1


async def form_fields(request: Request, **longer: int) -> dict[str, str]:
    """The text fields of the request's form, each at most :data:`MAX_FIELD_LENGTH` characters (or the
    limit named for it in ``longer``, e.g. ``definition=300_000``); uploaded files are left out."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    for name, value in fields.items():
        limit = longer.get(name, MAX_FIELD_LENGTH)
        if len(value) > limit:
            raise InvalidAnswer(f'the field "{name[:40]}" has more than {limit:,} characters')
    return fields


def whole_number(raw: str | None, name: str, *, maximum: int = INTEGER_MAX) -> int | None:
    """``raw`` as a whole number from 0 to ``maximum``; None when empty; InvalidAnswer otherwise."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    # Compared as text first: int() of thousands of digits is slow, and Python refuses it anyway.
    if not text.isascii() or not text.isdigit() or len(text) > len(str(maximum)):
        raise InvalidAnswer(f"{name} must be a whole number from 0 to {maximum}")
    value = int(text)
    if value > maximum:
        raise InvalidAnswer(f"{name} must be a whole number from 0 to {maximum}")
    return value
