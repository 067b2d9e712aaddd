"""What happens when a respondent opens a page or sends one: the rules, between the routes and the database.

Every decision is taken from the response's pinned questionnaire version and its saved answers. Saving
a page is one transaction holding the response's row lock, so re-sends are applied one after the other
and each leaves the same result: sending a page twice, or the final submit twice, changes nothing the
second time.

A page sent with its Back button is not saved: what was on it is kept, unchecked, as the page's draft
(:func:`save_page` with ``form.back``), and shown again when the respondent comes back to it. Drafts are
never answers: the analysis and the exports read only the saved answers.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

import asyncpg

from survey.collect import panel
from survey.collect.answers import FieldError, PageAnswers, PostedForm, check_fields, parse_page
from survey.collect.ratelimit import StartLimiter
from survey.db import responses as responses_db
from survey.db.campaigns import Wave
from survey.db.questionnaires import QuestionnaireVersion, get_version_by_id
from survey.db.responses import Response, Visit
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.paging import Page, Plan, plan_for

__all__ = [
    "MAX_PANEL_CODE_CHANGES",
    "CollectState",
    "Finished",
    "GoTo",
    "Invalid",
    "Outcome",
    "Pinned",
    "Refused",
    "Resume",
    "current_response",
    "panel_key_of",
    "pick_language",
    "save_page",
]

#: How long after starting a response the first page may be sent again without the response cookie:
#: the reply that set the cookie may have been lost (a double tap, a dropped connection), and the
#: response id in the form, a random UUID only that page ever showed, proves it is the same person.
FIRST_PAGE_GRACE: Final = timedelta(minutes=10)
#: How many times a response's panel code may be changed after it was first given: enough to correct a
#: slip or two, too few for one response to try code after code (issue 12, finding 5).
MAX_PANEL_CODE_CHANGES: Final = 3
#: Questionnaire versions (with their page plans) kept in memory per process; they never change.
VERSION_CACHE_SIZE: Final = 256


@dataclass(frozen=True, slots=True)
class Pinned:
    """A questionnaire version and its page plan."""

    version: QuestionnaireVersion
    plan: Plan

    @property
    def questionnaire(self) -> Questionnaire:
        return self.version.definition


class CollectState:
    """What the respondent routes of one application keep in memory: versions, secrets, the limiter."""

    def __init__(self, limiter: StartLimiter | None = None) -> None:
        self.limiter = limiter or StartLimiter()
        self._versions: OrderedDict[int, Pinned] = OrderedDict()
        self._secrets: dict[int, bytes] = {}

    async def pinned(self, conn: asyncpg.Connection, version_id: int) -> Pinned:
        """The version with this id and its plan, read once per process (versions are immutable)."""
        found = self._versions.get(version_id)
        if found is None:
            version = await get_version_by_id(conn, version_id)
            found = Pinned(version, plan_for(version.definition))
            self._versions[version_id] = found
            while len(self._versions) > VERSION_CACHE_SIZE:
                self._versions.popitem(last=False)
        return found

    async def secret(self, conn: asyncpg.Connection, campaign_id: int) -> bytes:
        """The campaign's panel-code secret (never changes once the campaign exists)."""
        found = self._secrets.get(campaign_id)
        if found is None:
            found = self._secrets[campaign_id] = await responses_db.campaign_secret(
                conn, campaign_id
            )
        return found


# -- outcomes of sending a page -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoTo:
    """The page was saved (or could not be sent from here): show ``page`` next."""

    response: Response
    page: Page
    created: bool = False


@dataclass(frozen=True, slots=True)
class Invalid:
    """Some answers are not acceptable: show the page again with the errors; nothing was saved."""

    page: Page
    answers: PageAnswers
    response: Response | None


@dataclass(frozen=True, slots=True)
class Finished:
    """The response is complete or declined (now, or already before this send)."""

    response: Response
    created: bool = False


@dataclass(frozen=True, slots=True)
class Resume:
    """The browser already has a response in this wave: continue that one instead of starting another."""

    response: Response


@dataclass(frozen=True, slots=True)
class Refused:
    """Not accepted: ``forbidden`` (not this browser's response, or another wave's), ``busy`` (the
    wave's rate limit), ``conflict`` (different answers sent after the response was finished)."""

    reason: Literal["forbidden", "busy", "conflict"]
    response: Response | None = None


Outcome = GoTo | Invalid | Finished | Resume | Refused


def pick_language(q: Questionnaire, requested: str | None) -> str | None:
    """``requested`` when the questionnaire has that language, else None."""
    return requested if requested in q.languages else None


def panel_key_of(q: Questionnaire, answers: dict[str, object], secret: bytes) -> str | None:
    """The response's panel key: the HMAC of its panel code (of all of them, if several, in order)."""
    codes = [
        value
        for item in q.items()
        if item.type == "panel_code" and isinstance(value := answers.get(item.key), str)
    ]
    if len(codes) <= 1:
        return codes[0] if codes else None
    return hmac.new(secret, "\n".join(codes).encode(), hashlib.sha256).hexdigest()


async def current_response(
    conn: asyncpg.Connection, wave: Wave, cookie_id: uuid.UUID | None
) -> Response | None:
    """The response the browser's cookie names, if it belongs to this wave."""
    if cookie_id is None:
        return None
    found = await responses_db.get_response(conn, cookie_id)
    return found if found is not None and found.wave_id == wave.id else None


def _same_answers(pinned: Pinned, page: Page, response: Response, sent: PageAnswers) -> bool:
    if sent.errors:
        return False
    for item in pinned.plan.visible_items(page, response.answers):
        if not item.answerable:
            continue
        if response.status == "declined" and item.type != "consent":
            continue  # a declined response keeps only its consent answer
        if sent.values.get(item.key) != response.answers.get(item.key):
            return False
    return True


async def save_page(
    conn: asyncpg.Connection,
    state: CollectState,
    *,
    wave: Wave,
    form: PostedForm,
    cookie_id: uuid.UUID | None,
    number: int,
    now: datetime | None = None,
    visit: Visit | None = None,
) -> Outcome:
    """Apply one sent page to its response, creating the response on the first page.

    The caller has checked that the wave accepts answers. Raises
    :class:`~survey.collect.answers.Rejected` for a malformed form (nothing is saved then).

    ``visit`` is what the caller read already (:func:`~survey.db.responses.wave_with_response`). When it
    holds the response this form belongs to, still in progress and named by the cookie (every page
    after the first), the page is decided on that read and saved only if the row has not changed since,
    in one statement: no transaction, no lock. If it has changed (the same page sent twice at once),
    everything is decided again under the row lock, as for any other send.
    """
    now = now or datetime.now(UTC)
    if form.back:
        return await _keep_draft(
            conn, state, wave=wave, form=form, cookie_id=cookie_id, number=number
        )
    if (
        visit is not None
        and visit.response is not None
        and visit.row_version is not None
        and visit.response.id == form.response_id == cookie_id
        and visit.response.wave_id == wave.id
        and not visit.response.finished
    ):
        outcome = await _apply(
            conn,
            state,
            visit.response,
            wave=wave,
            form=form,
            cookie_id=cookie_id,
            number=number,
            now=now,
            row_version=visit.row_version,
        )
        if outcome is not None:
            return outcome
    async with conn.transaction():
        response = await responses_db.lock_response(conn, form.response_id)
        outcome = await _apply(
            conn, state, response, wave=wave, form=form, cookie_id=cookie_id, number=number, now=now
        )
        assert outcome is not None  # only a save with a row version can find the row changed
        return outcome


async def _apply(
    conn: asyncpg.Connection,
    state: CollectState,
    response: Response | None,
    *,
    wave: Wave,
    form: PostedForm,
    cookie_id: uuid.UUID | None,
    number: int,
    now: datetime,
    row_version: str | None = None,
) -> Outcome | None:
    """The rules of :func:`save_page` applied to ``response``, locked or read at ``row_version``.

    None only with ``row_version``, when the row changed after it was read: nothing was saved.
    """
    if response is not None and response.wave_id != wave.id:
        return Refused("forbidden")
    pinned = await state.pinned(conn, response.version_id if response else wave.version_id)
    plan, q = pinned.plan, pinned.questionnaire
    first = plan.first_page()
    if response is None and cookie_id is not None and cookie_id != form.response_id:
        known = await current_response(conn, wave, cookie_id)
        if known is not None:
            if first is not None and number == first.number:
                # The welcome page opened without the cookie (a link followed from another site
                # sends no SameSite=Strict cookie), sent with it: the browser already has a
                # response here, so continue that one rather than start another.
                return Resume(known)
            return Refused("forbidden")
    if (
        response is not None
        and cookie_id != response.id
        and not _first_page_resend(response, first, number, now)
    ):
        return Refused("forbidden")
    language = pick_language(q, form.language) or (
        response.language if response else q.default_language
    )
    page = plan.page(number)

    if response is not None and response.finished:
        if page is None:
            return Finished(response)
        sent = await _parse(conn, state, wave, pinned, page, response.answers, form)
        if _same_answers(pinned, page, response, sent):
            return Finished(response)
        return Refused("conflict", response)

    answers: dict[str, object] = dict(response.answers) if response else {}
    if response is None:
        if first is None or page is None or page.number != first.number:
            return Refused("forbidden")  # an id no page of ours ever showed
    elif (elsewhere := _elsewhere(plan, response, page)) is not None:
        return elsewhere

    sent = await _parse(conn, state, wave, pinned, page, answers, form)
    if sent.errors and not sent.declined:
        return Invalid(page, sent, response)

    created = False
    if response is None:
        if not await state.limiter.allow(conn, wave.id):
            return Refused("busy")
        response = await responses_db.create_response(
            conn,
            form.response_id,
            wave_id=wave.id,
            version_id=wave.version_id,
            language=language,
        )
        if response is None:  # the id exists: sent twice at once, or taken by another wave
            response = await responses_db.lock_response(conn, form.response_id)
            if response is None or response.wave_id != wave.id:
                return Refused("forbidden")
            if response.finished:
                return Finished(response)
            answers = dict(response.answers)
        else:
            created = True

    if sent.declined:
        # Declining withdraws everything: only the consent answer itself is kept.
        kept = {
            key: value
            for key, value in sent.values.items()
            if q.item(key).type == "consent" and value is not None
        }
        saved = await responses_db.save_response(
            conn,
            response.id,
            answers=kept,
            pages=[page.key],
            panel_key=None,
            language=language,
            status="declined",
            page=page.key,
            panel_code_changes=response.panel_code_changes,
            row_version=row_version,
        )
        if saved is None and row_version is not None:
            return None
        return Finished(saved or response, created)

    for item in page.questions:
        answers.pop(item.key, None)
    answers.update({key: value for key, value in sent.values.items() if value is not None})
    answers = plan.clear_hidden(answers)
    pages = plan.saved_pages([*response.pages, page.key], answers)
    following = plan.next_page(page, answers)
    # A page left unsaved before this one matters only at the end (it is gone to next, not the page
    # after): looked for only then, since it weighs on every save.
    unsaved = plan.resume_page(pages, answers) if following is None else None
    status: responses_db.ResponseStatus = (
        "complete" if following is None and unsaved is None else "in_progress"
    )
    secret = await state.secret(conn, wave.campaign_id) if _has_panel_code(q) else b""
    panel_key = panel_key_of(q, answers, secret)
    changes = response.panel_code_changes
    if response.panel_key is not None and panel_key != response.panel_key:
        changes += 1
        locked = {
            item.key: FieldError("err_panel_code_locked")
            for item in page.questions
            if item.type == "panel_code" and item.key in sent.values
        }
        if changes > MAX_PANEL_CODE_CHANGES and locked:
            return Invalid(page, PageAnswers(sent.values, locked, sent.raw), response)
    saved = await responses_db.save_response(
        conn,
        response.id,
        answers=answers,
        pages=pages,
        panel_key=panel_key,
        language=language,
        status=status,
        page=page.key,
        panel_code_changes=changes,
        row_version=row_version,
    )
    if saved is None and row_version is not None:
        return None  # changed since it was read: decide again under the lock
    if saved is None:  # cannot happen under the row lock; refuse rather than guess
        return Refused("conflict", response)
    if status == "complete":
        return Finished(saved, created)
    target = following or unsaved
    assert target is not None  # not complete: some visible page follows or is unsaved
    return GoTo(saved, target, created)


async def _keep_draft(
    conn: asyncpg.Connection,
    state: CollectState,
    *,
    wave: Wave,
    form: PostedForm,
    cookie_id: uuid.UUID | None,
    number: int,
) -> Outcome:
    """A page sent with Back: keep what was on it as its draft, unchecked, and go to the page before.

    Only the browser whose cookie names the response may leave a draft (the first page has no Back, so
    the grace of a first page sent again does not apply). Fields that are not questions of the page are
    refused as for any page; a panel code is never kept (only its keyed hash is ever stored).
    """
    response = await current_response(conn, wave, cookie_id)
    if response is None or response.id != form.response_id:
        return Refused("forbidden")
    if response.finished:
        return Finished(response)
    plan = (await state.pinned(conn, response.version_id)).plan
    page = plan.page(number)
    if (elsewhere := _elsewhere(plan, response, page)) is not None:
        return elsewhere
    assert page is not None  # _elsewhere sends an unknown page elsewhere
    check_fields(page.items, form.fields)
    draft = {
        item.key: form.fields.get(item.key, [])
        for item in plan.visible_items(page, response.answers)
        if item.answerable and item.type != "panel_code"
    }
    kept = await responses_db.keep_draft(conn, response.id, page.key, draft)
    if kept is None:  # finished meanwhile (the last page sent from another tab)
        found = await responses_db.get_response(conn, response.id)
        return Finished(found) if found is not None else Refused("forbidden")
    return GoTo(kept, plan.previous_page(page, kept.answers) or page)


def _elsewhere(plan: Plan, response: Response, page: Page | None) -> Outcome | None:
    """Where to go instead of sending ``page`` of ``response``; None when it may be sent.

    An unknown or hidden page leads to the first unsaved page (or the last visible one), a page beyond
    the first unsaved one to that one: pages are answered in order.
    """
    answers = response.answers
    resume = plan.resume_page(response.pages, answers)
    if page is None or not plan.page_visible(page, answers):
        target = resume or next(iter(reversed(plan.visible_pages(answers))), None)
        return GoTo(response, target) if target else Refused("forbidden")
    if resume is not None and page.number > resume.number:
        return GoTo(response, resume)
    return None


def _has_panel_code(q: Questionnaire) -> bool:
    return any(item.type == "panel_code" for item in q.items())


def _first_page_resend(response: Response, first: Page | None, number: int, now: datetime) -> bool:
    """The first page sent again without the cookie, shortly after it started the response."""
    return (
        first is not None
        and number == first.number
        and response.status == "in_progress"
        and response.pages in ([], [first.key])
        and now - response.started_at < FIRST_PAGE_GRACE
    )


async def _parse(
    conn: asyncpg.Connection,
    state: CollectState,
    wave: Wave,
    pinned: Pinned,
    page: Page,
    answers: dict[str, object],
    form: PostedForm,
) -> PageAnswers:
    q = pinned.questionnaire
    secret = b""
    if any(item.type == "panel_code" for item in page.items):
        secret = await state.secret(conn, wave.campaign_id)
    return parse_page(
        q,
        page.items,
        pinned.plan.visible_items(page, answers),
        form.fields,
        existing=answers,
        hash_panel_code=lambda code: panel.panel_key(code, secret),
    )
