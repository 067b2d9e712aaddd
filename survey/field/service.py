"""What happens to an interview a field device sends: the rules, between the routes and the database.

No litestar here. :func:`receive` returns :class:`Taken` (201) or :class:`Refused` (a 4xx the device
shows; the interview stays in its outbox, to be sent again), never an exception for a device's mistake.
In this order, following ODK Central where the OpenRosa specification leaves room:

1. The address: unknown (404) or revoked (403), checked by the route before the body is read.
2. The form: another form ID (404), another version than the wave's pinned one (404, Central's
   "form version not found").
3. The instanceID: an interview the wave has already is answered 201 and changes nothing when its XML
   is byte for byte the same (a device that did not hear the first reply sends again), and refused with
   409 when it is not (logged: two interviews under one instanceID means a device or a person copied
   one). This comes before the wave's status, so that a re-send after the wave closed still hears that
   its interview arrived.
4. The wave: closed, or not open yet: 409.
5. An edit (``deprecatedID`` names an earlier instance): the earlier interview's answers are replaced and
   the edit is written to the audit log; an edit of an instance that a later edit already replaced is
   refused (409), as Central does. Where the named instance has not arrived (a device that edited an
   interview before it was sent), the edit is kept as a new interview, and the earlier one, if it
   arrives later, is recorded as replaced and changes nothing (Central refuses such an edit with 404,
   which would leave it in the outbox for ever).
6. A new interview: the wave's limit of new responses per minute (429), then the answers.

The answers go through the respondent form's own rules (:func:`survey.collect.answers.parse_page`, page
by page over the pinned version's plan, so ``show_if`` is decided the same way): an answer a rule refuses
(a number out of its range, a required question left empty) is not an answer; it is kept as a *flag*
with the rule it broke and what was sent, and the response waits for a researcher's review, out of the
analysis (:func:`decide`). A panel code becomes its keyed hash on arrival, as on the web.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final, Literal

import asyncpg
import msgspec

from survey.collect import panel
from survey.collect.answers import MAX_VALUE_LENGTH, parse_page
from survey.collect.service import CollectState, Pinned, panel_key_of
from survey.db import accounts as accounts_db
from survey.db import field as field_db
from survey.db.campaigns import Wave
from survey.db.field import FieldAddress, Flags
from survey.field.instance import Instance, Unreadable
from survey.field.xform import XForm, XFormUnavailable, build_xform, form_fields
from survey.questionnaire.model import Item, Questionnaire

__all__ = [
    "REVIEW_PAGE",
    "Checked",
    "Decided",
    "FieldState",
    "Refused",
    "Taken",
    "check_interview",
    "decide",
    "receive",
]

logger = logging.getLogger(__name__)

#: XForms kept in memory per process (one per wave; they change only with the pinned version).
XFORM_CACHE_SIZE: Final = 64
#: Responses listed at once on the review page.
REVIEW_PAGE: Final = 100


@dataclass(frozen=True, slots=True)
class Taken:
    """The interview is stored (``created``, ``edited``), or was already (``again``, ``older``)."""

    kind: Literal["created", "again", "edited", "older"]
    flagged: int = 0


@dataclass(frozen=True, slots=True)
class Refused:
    """Not taken: ``reason`` is a message of :mod:`survey.field.messages`, ``status`` the HTTP status."""

    reason: str
    status: int
    params: Mapping[str, object] = field(default_factory=dict)


class FieldState:
    """What the field routes of one application keep in memory: the respondent routes' state (versions,
    secrets, the rate limiter), and the XForms made so far."""

    def __init__(self, collect: CollectState) -> None:
        self.collect = collect
        # An XForm, or why the wave's questionnaire has none (kept too: it would fail again).
        self._xforms: OrderedDict[tuple[str, int], XForm | XFormUnavailable] = OrderedDict()
        self._lock = asyncio.Lock()

    async def xform(self, wave: Wave, pinned: Pinned) -> XForm:
        """The wave's XForm (``pinned`` is its version), made once per process: pyxform runs in a
        thread, off the event loop, and no database connection waits for it.

        Raises
        ------
        XFormUnavailable
            When the questionnaire cannot be made into an XForm (logged once per process).
        """
        cache_key = (wave.key, wave.version_id)
        found = self._xforms.get(cache_key)
        if found is None:
            async with self._lock:  # one conversion at a time: each takes a core for a moment
                found = self._xforms.get(cache_key)
                if found is None:
                    try:
                        found = await asyncio.to_thread(
                            build_xform,
                            pinned.questionnaire,
                            form_id=wave.key,
                            version=str(wave.version),
                        )
                    except XFormUnavailable as exc:
                        logger.warning("field: wave %s has no XForm: %s", wave.key, exc)
                        found = exc
                    self._xforms[cache_key] = found
                    while len(self._xforms) > XFORM_CACHE_SIZE:
                        self._xforms.popitem(last=False)
        if isinstance(found, XFormUnavailable):
            raise found
        return found


# -- the answers ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checked:
    """An interview's answers after the rules: the answers, the flagged ones, the pages it showed."""

    answers: dict[str, object]
    flags: Flags
    pages: list[str]
    declined: bool


def _waived(
    q: Questionnaire, item: Item, sent: Sequence[str], hash_panel_code: Callable[[str], str]
) -> object:
    """What an answer that broke a rule would be without its bounds, lengths and requirement (None if its
    type cannot hold it either): the value a researcher accepts."""
    relaxed = msgspec.structs.replace(
        item, min=None, max=None, max_length=MAX_VALUE_LENGTH, required=False
    )
    fields = {item.key: list(sent)} if sent else {}
    checked = parse_page(
        q, [relaxed], [relaxed], fields, existing={}, hash_panel_code=hash_panel_code
    )
    return None if checked.errors else checked.values.get(item.key)


def check_interview(
    pinned: Pinned,
    fields: Mapping[str, Sequence[str]],
    hash_panel_code: Callable[[str], str],
) -> Checked:
    """Check an interview's fields (:func:`survey.field.xform.form_fields`) by the web form's rules.

    The pages are walked in order, each page's visible questions decided from the answers before it, as
    a respondent's pages are. An answer a rule refuses is flagged; for deciding what later pages show, the
    value it would have without the rule counts (a device showed the questions that followed from it).

    Raises
    ------
    survey.collect.answers.Rejected
        For a question sent several times (never from a real device).
    """
    plan, q = pinned.plan, pinned.questionnaire
    answers: dict[str, object] = {}
    seen: dict[str, object] = {}
    flags: Flags = {}
    declined = False
    for page in plan.pages:
        sent = {item.key: list(fields[item.key]) for item in page.items if item.key in fields}
        checked = parse_page(
            q,
            page.items,
            plan.visible_items(page, seen),
            sent,
            existing={},
            hash_panel_code=hash_panel_code,
        )
        declined = declined or checked.declined
        for key, value in checked.values.items():
            if value is not None:
                answers[key] = seen[key] = value
        for key, error in checked.errors.items():
            item = q.item(key)
            waived = _waived(q, item, sent.get(key, []), hash_panel_code)
            flags[key] = {
                "reason": error.code,
                "params": {name: str(value) for name, value in error.params.items()},
                # A panel code is never stored as typed, not even when it breaks a rule.
                "sent": None if item.type == "panel_code" else " ".join(sent.get(key, [])),
                "value": waived,
            }
            if waived is not None:
                seen[key] = waived
    if declined:
        # Declining withdraws everything, as on the web: only the consent answer itself is kept.
        answers = {k: v for k, v in answers.items() if q.item(k).type == "consent"}
        return Checked(answers=answers, flags={}, pages=[plan.pages[0].key], declined=True)
    # (Every answer and flag is of a question shown when its page was checked, and a condition only
    # names questions before it: nothing checked is hidden by what came later.)
    shown = plan.clear_hidden(seen)
    return Checked(
        answers={k: v for k, v in answers.items() if k in shown},
        flags=flags,
        pages=[page.key for page in plan.visible_pages(seen)],
        declined=False,
    )


# -- receiving an interview ----------------------------------------------------------------------------


class _Raced(Exception):
    """The same instance was stored by another request meanwhile: look it up again."""


def _actor(address: FieldAddress) -> str:
    who = address.key.enumerator
    return f"field: {who}" if who else f"field: {address.wave.key}"


def _already(known: field_db.KnownInstance, instance: Instance, wave: Wave) -> Taken | Refused:
    if known.body_sha256 == instance.sha256:
        return Taken("again")
    if not known.current:
        return Refused("superseded", 409)
    # Two different interviews under one instanceID: someone copied one. Logged for the researcher;
    # the instanceID is the device's random id, not a person's.
    logger.warning(
        "field: wave %s refused a different interview under instanceID %s",
        wave.key,
        instance.instance_id,
    )
    return Refused("conflict", 409)


async def receive(
    conn: asyncpg.Connection,
    state: FieldState,
    address: FieldAddress,
    instance: Instance,
    *,
    now: datetime | None = None,
) -> Taken | Refused:
    """Store an interview sent to ``address`` (in use: the route looked it up and refused an unknown or
    revoked one before reading the body); see the module's description for the rules."""
    now = now or datetime.now(UTC)
    wave = address.wave
    if instance.form_id != wave.key:
        return Refused("other_form", 404, {"expected": wave.key, "got": instance.form_id[:80]})
    if instance.version != str(wave.version):
        return Refused(
            "other_version", 404, {"expected": str(wave.version), "got": instance.version[:40]}
        )
    known = await field_db.instance(conn, wave.id, instance.instance_id)
    if known is not None:
        return _already(known, instance, wave)
    if not wave.accepts_answers(now):
        ended = wave.status == "closed" or (wave.closes_at is not None and now >= wave.closes_at)
        return Refused("closed" if ended else "not_open", 409)
    pinned = await state.collect.pinned(conn, wave.version_id)
    try:
        fields = form_fields(pinned.questionnaire, instance.values)
    except Unreadable as exc:
        return Refused(exc.reason, exc.status, exc.params)
    secret = await state.collect.secret(conn, wave.campaign_id)
    checked = check_interview(pinned, fields, lambda code: panel.panel_key(code, secret))
    panel_key = panel_key_of(pinned.questionnaire, checked.answers, secret)
    for _ in range(3):  # (a race is lost at most once: the winner's instance is then found)
        try:
            if instance.deprecated_id is not None:
                return await _edit(conn, state, address, instance, checked, panel_key)
            return await _new(conn, state, address, instance, checked, panel_key)
        except _Raced:
            known = await field_db.instance(conn, wave.id, instance.instance_id)
            if known is not None:
                return _already(known, instance, wave)
    raise RuntimeError("an instance was stored and then not found")


async def _new(
    conn: asyncpg.Connection,
    state: FieldState,
    address: FieldAddress,
    instance: Instance,
    checked: Checked,
    panel_key: str | None,
    *,
    deprecates: str | None = None,
) -> Taken | Refused:
    wave = address.wave
    replaced_by = await field_db.instance_deprecated_by(conn, wave.id, instance.instance_id)
    if replaced_by is not None:
        # An edit of this interview came first: record this older copy, change nothing.
        stored = await field_db.insert_instance(
            conn,
            wave_id=wave.id,
            instance_id=instance.instance_id,
            response_id=replaced_by,
            body_sha256=instance.sha256,
            deprecates=None,
            key_id=address.key.id,
            superseded=True,
        )
        if not stored:
            raise _Raced
        return Taken("older")
    if not await state.collect.limiter.allow(conn, wave.id):
        return Refused("busy", 429)
    response_id = uuid.uuid4()
    async with conn.transaction():
        await field_db.insert_field_response(
            conn,
            response_id,
            wave=wave,
            language=(
                await state.collect.pinned(conn, wave.version_id)
            ).questionnaire.default_language,
            status="declined" if checked.declined else "complete",
            answers=checked.answers,
            pages=checked.pages,
            panel_key=panel_key,
            enumerator=address.key.enumerator,
            flags=checked.flags or None,
        )
        stored = await field_db.insert_instance(
            conn,
            wave_id=wave.id,
            instance_id=instance.instance_id,
            response_id=response_id,
            body_sha256=instance.sha256,
            deprecates=deprecates,
            key_id=address.key.id,
        )
        if not stored:
            raise _Raced  # leaves the transaction: the response above is not kept
    return Taken("created", len(checked.flags))


async def _edit(
    conn: asyncpg.Connection,
    state: FieldState,
    address: FieldAddress,
    instance: Instance,
    checked: Checked,
    panel_key: str | None,
) -> Taken | Refused:
    wave = address.wave
    replaced = instance.deprecated_id
    assert replaced is not None
    async with conn.transaction():
        earlier = await field_db.instance(conn, wave.id, replaced)
        if earlier is not None and not earlier.current:
            return Refused("superseded", 409)
        if earlier is not None:
            public_id = await field_db.replace_field_response(
                conn,
                earlier.response_id,
                answers=checked.answers,
                pages=checked.pages,
                panel_key=panel_key,
                flags=checked.flags or None,
            )
            await field_db.supersede_instance(conn, wave.id, replaced)
            stored = await field_db.insert_instance(
                conn,
                wave_id=wave.id,
                instance_id=instance.instance_id,
                response_id=earlier.response_id,
                body_sha256=instance.sha256,
                deprecates=replaced,
                key_id=address.key.id,
            )
            if not stored:
                raise _Raced
            entry = await accounts_db.record_audit(
                conn,
                account_id=None,
                actor=_actor(address),
                action="field_edit",
                campaign_id=wave.campaign_id,
                detail={
                    "wave": wave.key,
                    "response": str(public_id),
                    "instance": instance.instance_id,
                    "replaces": replaced,
                },
            )
            await accounts_db.finish_audit(conn, entry, 1)
            return Taken("edited", len(checked.flags))
    # The interview it replaces has not arrived: keep this one as the interview.
    return await _new(conn, state, address, instance, checked, panel_key, deprecates=replaced)


# -- review ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decided:
    """A review decision was stored; ``already`` when another researcher decided first."""

    already: bool = False


async def decide(
    conn: asyncpg.Connection,
    state: CollectState,
    wave: Wave,
    public_id: uuid.UUID,
    decision: Literal["accept", "reject"],
    *,
    actor: str,
    account_id: int | None,
) -> Decided:
    """Accept a response's flagged answers (those with a value become answers) or reject them (they stay
    out); either way the response joins the analysis. Written to the audit log."""
    async with conn.transaction():
        found = await field_db.review_for_update(conn, wave.id, public_id)
        if found is None:
            return Decided(already=True)
        if decision == "accept":
            pinned = await state.pinned(conn, wave.version_id)
            answers = dict(found.answers)
            answers.update(
                (key, flag["value"])
                for key, flag in found.flags.items()
                if flag["value"] is not None
            )
            secret = await state.secret(conn, wave.campaign_id)
            await field_db.accept_review(
                conn, found.id, answers, panel_key_of(pinned.questionnaire, answers, secret)
            )
        else:
            await field_db.reject_review(conn, found.id)
        entry = await accounts_db.record_audit(
            conn,
            account_id=account_id,
            actor=actor,
            action="field_review",
            campaign_id=wave.campaign_id,
            detail={"wave": wave.key, "response": str(public_id), "decision": decision},
        )
        await accounts_db.finish_audit(conn, entry, 1)
    return Decided()
