"""The documents of the OpenRosa 1.0 protocol, and the settings code of ODK Collect and KoboCollect.

Pure functions that write bytes; the routes (:mod:`survey.field.routes`) send them with the headers every
OpenRosa reply carries (:func:`headers`). The shapes follow the OpenRosa specifications (Form List API,
Form Submission API, HTTP Request API: docs.getodk.org/openrosa) and what ODK Central sends, which ODK
Collect, KoboCollect and Enketo are tested against.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import formatdate
from typing import Final
from xml.sax.saxutils import escape, quoteattr

__all__ = [
    "FORM_LIST_NS",
    "MANIFEST_NS",
    "RESPONSE_NS",
    "XML_TYPE",
    "FormEntry",
    "form_list",
    "headers",
    "manifest",
    "message",
    "settings_code",
]

XML_TYPE: Final = "text/xml; charset=utf-8"
FORM_LIST_NS: Final = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS: Final = "http://openrosa.org/xforms/xformsManifest"
RESPONSE_NS: Final = "http://openrosa.org/http/response"


def headers(*, accept_length: int | None = None, language: str | None = None) -> dict[str, str]:
    """The headers of every OpenRosa reply: ``X-OpenRosa-Version: 1.0`` and ``Date``.

    ``accept_length`` (submission replies) is the largest body the server takes, as
    ``X-OpenRosa-Accept-Content-Length``; ``language``, when the body says something, its
    ``Content-Language``.
    """
    found = {"X-OpenRosa-Version": "1.0", "Date": formatdate(usegmt=True)}
    if accept_length is not None:
        found["X-OpenRosa-Accept-Content-Length"] = str(accept_length)
    if language is not None:
        found["Content-Language"] = language
    return found


def message(text: str, *, nature: str = "") -> bytes:
    """An OpenRosa response envelope with one message (``nature="error"`` for a refusal)."""
    attribute = f" nature={quoteattr(nature)}" if nature else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OpenRosaResponse xmlns="{RESPONSE_NS}">'
        f"<message{attribute}>{escape(text)}</message>"
        "</OpenRosaResponse>\n"
    ).encode()


@dataclass(frozen=True, slots=True)
class FormEntry:
    """A form as the form list names it."""

    form_id: str
    name: str
    version: str
    md5: str
    download_url: str
    manifest_url: str


def form_list(forms: Sequence[FormEntry]) -> bytes:
    """The OpenRosa form list (``xformsList``)."""
    entries = "".join(
        "<xform>"
        f"<formID>{escape(f.form_id)}</formID>"
        f"<name>{escape(f.name)}</name>"
        f"<version>{escape(f.version)}</version>"
        f"<hash>md5:{escape(f.md5)}</hash>"
        f"<downloadUrl>{escape(f.download_url)}</downloadUrl>"
        f"<manifestUrl>{escape(f.manifest_url)}</manifestUrl>"
        "</xform>"
        for f in forms
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<xforms xmlns="{FORM_LIST_NS}">{entries}</xforms>\n'.encode()


def manifest() -> bytes:
    """The manifest of a form without media files: empty."""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="{MANIFEST_NS}"/>\n'.encode()


def settings_code(server_url: str, project_name: str) -> str:
    """What a settings QR code holds for ODK Collect and KoboCollect: its JSON, zlib-compressed, base64.

    The settings name the server (the field address) and the project (shown in Collect's project list).
    Collect resets every setting the code does not name to its default, so nothing else is set: the
    enumerator downloads the form with "Download form" and sends with "Send finalized", as the team was
    trained.
    """
    settings = {
        "general": {"server_url": server_url},
        "admin": {},
        "project": {"name": project_name},
    }
    text = json.dumps(settings, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")
