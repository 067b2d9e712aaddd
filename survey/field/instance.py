"""Reading what a field device sends: the multipart body, then the interview (the XForm instance) in it.

Pure functions, no database and no web framework. Everything here comes from outside and is bounded
before it is read:

- the whole body is at most :data:`MAX_SUBMISSION_BYTES` (the route refuses a larger one while reading
  it, and says the limit in ``X-OpenRosa-Accept-Content-Length``), and a compressed body is refused, so
  that nothing unpacks to more than was sent;
- the multipart body has at most :data:`MAX_PARTS` parts, and exactly one ``xml_submission_file``
  (other parts, attachments, are ignored: our forms have no file question);
- the XML is parsed by defusedxml with DTDs, entities and external references forbidden, which is what
  stops the "billion laughs" and external-entity attacks: with no DTD nothing can expand, so the tree is
  bounded by the text; the parse stops at :data:`MAX_ELEMENTS` elements or :data:`MAX_DEPTH` levels
  (an interview of ours is three levels deep: the form, a section, a question) and each value at
  :data:`~survey.collect.answers.MAX_VALUE_LENGTH` characters, as in a web form.

Anything else is a :class:`Unreadable` submission, a 4xx with a message the device shows. The interview's
``meta`` block is read for ``instanceID`` and ``deprecatedID`` only: whatever else a device puts there
(``deviceID``, ``username``, ``audit``...) is dropped unread, since nothing about the device is stored.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_etree
import multipart
from defusedxml import DefusedXmlException

from survey.collect.answers import MAX_VALUE_LENGTH

__all__ = [
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "MAX_PARTS",
    "MAX_SUBMISSION_BYTES",
    "XML_PART",
    "Instance",
    "Unreadable",
    "read_instance",
    "read_submission",
]

#: The largest submission (the whole multipart body) taken, in bytes. An interview of ours is a few
#: kilobytes: even fifty free-text answers at their longest are under 300 KB of XML. Devices learn it from
#: ``X-OpenRosa-Accept-Content-Length``.
MAX_SUBMISSION_BYTES: Final = 2 * 1024 * 1024
#: Parts of a multipart body: the XML and a few attachments at most (our forms have no file question).
MAX_PARTS: Final = 20
#: The name of the part that holds the interview (OpenRosa Form Submission API).
XML_PART: Final = "xml_submission_file"
#: Elements of one interview: a questionnaire of ours has at most a few hundred questions and sections.
MAX_ELEMENTS: Final = 5_000
#: Levels of elements: the form, a section (group), a question; ``meta`` and its children are as deep.
MAX_DEPTH: Final = 3
#: The longest instanceID kept (ODK's are ``uuid:`` and 36 characters).
MAX_INSTANCE_ID: Final = 200
_MULTIPART_TYPES: Final = ("multipart/form-data", "multipart/mixed")
#: What of an interview's ``meta`` block is read (OpenRosa metadata schema).
_KEPT_META: Final = ("instanceID", "deprecatedID")


@dataclass(frozen=True, slots=True)
class Unreadable(Exception):
    """The submission cannot be read: ``reason`` is a message of :mod:`survey.field.messages`."""

    reason: str
    status: int = 400
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.reason} ({self.status})"


@dataclass(frozen=True, slots=True)
class Instance:
    """An interview as sent: which form and version, its ids, and its values by question.

    ``values`` maps the name of every element that holds a value (a question, in whatever section
    element it sits) to its texts in the order sent (more than one when a question came twice, which the
    answer rules refuse); ``sha256`` is the hash of the XML exactly as sent, which tells a re-sent
    interview from another one under the same instanceID.
    """

    form_id: str
    version: str
    instance_id: str
    deprecated_id: str | None
    values: dict[str, list[str]]
    sha256: bytes


def read_submission(body: bytes, content_type: str, content_encoding: str = "") -> bytes:
    """The XML of the interview from a multipart submission body.

    Raises
    ------
    Unreadable
        415 for a body that is compressed or not multipart; 413 above :data:`MAX_SUBMISSION_BYTES`; 400
        for a multipart body that cannot be read, has too many parts, or not exactly one
        ``xml_submission_file``.
    """
    if content_encoding.strip().lower() not in ("", "identity"):
        raise Unreadable("compressed", 415)
    if len(body) > MAX_SUBMISSION_BYTES:
        raise Unreadable("too_large", 413, {"megabytes": MAX_SUBMISSION_BYTES // (1024 * 1024)})
    media_type, options = multipart.parse_options_header(content_type or "")
    boundary = options.get("boundary", "")
    if media_type.lower() not in _MULTIPART_TYPES or not boundary:
        raise Unreadable("not_multipart", 415)
    found: list[bytearray] = []
    current: bytearray | None = None
    try:
        with multipart.PushMultipartParser(
            boundary,
            content_length=len(body),
            max_segment_count=MAX_PARTS,
            max_segment_size=MAX_SUBMISSION_BYTES,
            strict=True,
        ) as parser:
            # The whole body, then the end of input: the parser checks that nothing is cut short.
            for chunk in (body, b""):
                for event in parser.parse(chunk):
                    if isinstance(event, multipart.MultipartSegment):
                        current = bytearray() if event.name == XML_PART else None
                        if current is not None:
                            found.append(current)
                    elif event is None:  # the end of a part
                        current = None
                    elif current is not None:
                        current += event
    except multipart.MultipartError:
        raise Unreadable("bad_multipart") from None
    if not found:
        raise Unreadable("no_xml_part")
    if len(found) > 1:
        raise Unreadable("many_xml_parts")
    return bytes(found[0])


def _local(tag: object) -> str:
    """An element's name without its namespace (``{http://openrosa.org/xforms}meta`` → ``meta``)."""
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1]


def read_instance(xml: bytes) -> Instance:
    """Read an interview (an XForm instance), hardened (see the module's description).

    Raises
    ------
    Unreadable
        400: not XML, a DTD or an entity, too many elements or levels, a value too long, no form id or
        no instanceID.
    """
    values: dict[str, list[str]] = {}
    meta: dict[str, str] = {}
    attributes: dict[str, str] = {}
    path: list[str] = []
    count = 0
    try:
        events = safe_etree.iterparse(
            io.BytesIO(xml),
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        for event, element in events:
            if event == "start":
                count += 1
                path.append(_local(element.tag))
                if count > MAX_ELEMENTS or len(path) > MAX_DEPTH:
                    raise Unreadable("xml_shape")
                if len(path) == 1:
                    attributes = {_local(k): v for k, v in element.attrib.items()}
                continue
            name = path.pop()
            text = element.text or ""
            if len(element):  # a section (or meta): its whitespace is layout, its values are below
                if text.strip():
                    raise Unreadable("xml_shape")
            elif not path:  # a form with no element at all
                raise Unreadable("no_instance_id")
            elif len(text) > MAX_VALUE_LENGTH:
                raise Unreadable("value_too_long", params={"max": MAX_VALUE_LENGTH})
            elif len(path) == 2 and path[1] == "meta":
                if name in _KEPT_META:  # anything else of meta (deviceID...) is dropped here
                    meta.setdefault(name, text)
            elif not (len(path) == 1 and name == "meta"):  # (an empty meta is no value)
                values.setdefault(name, []).append(text)
            element.clear()  # what was read is not kept: memory holds one element's values at a time
    except DefusedXmlException:
        raise Unreadable("xml_declarations") from None
    except ParseError:
        raise Unreadable("not_xml") from None
    form_id = attributes.get("id", "").strip()
    if not form_id:
        raise Unreadable("xml_shape")
    instance_id = meta.get("instanceID", "").strip()
    if not instance_id or len(instance_id) > MAX_INSTANCE_ID or not instance_id.isprintable():
        raise Unreadable("no_instance_id")
    deprecated = meta.get("deprecatedID", "").strip() or None
    if deprecated is not None and (
        len(deprecated) > MAX_INSTANCE_ID or not deprecated.isprintable()
    ):
        raise Unreadable("xml_shape")
    return Instance(
        form_id=form_id,
        version=attributes.get("version", "").strip(),
        instance_id=instance_id,
        deprecated_id=deprecated,
        values=values,
        sha256=hashlib.sha256(xml).digest(),
    )
