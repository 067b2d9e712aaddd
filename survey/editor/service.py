"""What the questionnaire editor decides between the console's routes and the database: who may open a
draft, what a change does to it, and when a change comes too late.

No litestar here (tests/unit/test_architecture.py). A change has several endings, returned as values:
the changed :class:`~survey.db.drafts.Draft`; :class:`Stale` when someone else changed the draft since
the form was drawn (nothing is written, and the writer is shown the draft as it now is); or
:class:`~survey.console.service.Rejected` (the console's own refusal) for a form no draft can take. A draft nobody may see here is a
:class:`~survey.errors.NotFound`, the same answer as for an id that does not exist.

A draft is seen and changed only by its team's administrators and researchers, as publishing is; an
analyst of the team gets :class:`~survey.errors.Forbidden`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

import asyncpg
import msgspec

from survey.console.roles import DESIGNERS
from survey.console.service import Rejected
from survey.db import drafts as drafts_db
from survey.db import questionnaires as questionnaires_db
from survey.db.accounts import Principal
from survey.db.drafts import Draft, DraftSummary
from survey.db.questionnaires import QuestionnaireVersion
from survey.editor import edits
from survey.errors import Forbidden, InvalidAnswer, InvalidDefinition, NotFound
from survey.questionnaire.diff import Diff, diff
from survey.questionnaire.load import MAX_DEFINITION_BYTES
from survey.questionnaire.model import Questionnaire

__all__ = [
    "Stale",
    "Verdict",
    "change",
    "discard",
    "draft_for",
    "drafts",
    "ready_to_publish",
    "start_draft",
    "undo",
    "verdict",
]

#: Largest draft, in bytes of its JSON: the loader's limit for a definition file, so that whatever the
#: editor holds can be exported and published.
MAX_DRAFT_BYTES: Final = MAX_DEFINITION_BYTES

Edit = Callable[[Questionnaire], Questionnaire]


@dataclass(frozen=True, slots=True)
class Stale:
    """The draft moved on since the form was drawn: nothing was written; ``draft`` is how it is now
    (None when it was discarded)."""

    draft: Draft | None


def _on(draft: Draft, revision: int | None) -> bool:
    """Whether a form drawn on ``revision`` may change the draft now (InvalidAnswer for a form that names
    no revision)."""
    if revision is None:
        raise InvalidAnswer("the form does not say which revision of the draft it changes")
    return draft.revision == revision


def _check(who: Principal, team_id: int, draft_id: int) -> None:
    role = who.role_in(team_id)
    if role is None:
        raise NotFound(f"no draft {draft_id}")
    if role not in DESIGNERS:
        raise Forbidden("Only the administrators and researchers of its team edit a draft.")


async def draft_for(conn: asyncpg.Connection, who: Principal, draft_id: int) -> Draft:
    """The draft, when ``who`` is an administrator or a researcher of its team."""
    found = await drafts_db.get_draft(conn, draft_id)
    _check(who, found.team_id, draft_id)
    return found


async def drafts(conn: asyncpg.Connection, who: Principal) -> list[DraftSummary]:
    """The drafts of every team where ``who`` is an administrator or a researcher."""
    teams = [m.team_id for m in who.teams_as(DESIGNERS)]
    return await drafts_db.list_drafts(conn, teams) if teams else []


def _too_large(q: Questionnaire) -> Rejected | None:
    size = len(msgspec.json.encode(q))
    if size > MAX_DRAFT_BYTES:
        return Rejected("draft_too_large", 413, {"megabytes": MAX_DRAFT_BYTES // 1_000_000})
    return None


async def start_draft(
    conn: asyncpg.Connection, who: Principal, team: str, definition: Questionnaire
) -> int | Rejected:
    """A new draft of ``team`` (where ``who`` must be an administrator or a researcher; empty: the first
    such team) holding ``definition``; its id."""
    teams = who.teams_as(DESIGNERS)
    chosen = next((m for m in teams if m.team == team or not team), None)
    if chosen is None:
        return Rejected("team_not_yours")
    if (refused := _too_large(definition)) is not None:
        return refused
    return await drafts_db.create_draft(
        conn, team_id=chosen.team_id, definition=definition, account_id=who.account_id
    )


async def _save(
    conn: asyncpg.Connection,
    who: Principal,
    draft: Draft,
    revision: int,
    definition: Questionnaire,
    previous: Questionnaire | None,
) -> Draft | Stale | Rejected:
    if (refused := _too_large(definition)) is not None:
        return refused
    saved = await drafts_db.save_draft(
        conn,
        draft.id,
        revision=revision,
        definition=definition,
        previous=previous,
        account_id=who.account_id,
    )
    if saved is None:
        return Stale(await _current(conn, draft.id))
    return await drafts_db.get_draft(conn, draft.id)


async def _current(conn: asyncpg.Connection, draft_id: int) -> Draft | None:
    try:
        return await drafts_db.get_draft(conn, draft_id)
    except NotFound:
        return None


async def change(
    conn: asyncpg.Connection, who: Principal, draft_id: int, revision: int | None, edit: Edit
) -> Draft | Stale | Rejected:
    """Apply ``edit`` to the draft as of ``revision`` and save it, remembering what it was for undo."""
    draft = await draft_for(conn, who, draft_id)
    if not _on(draft, revision):
        return Stale(draft)
    try:
        changed = edit(draft.definition)
    except edits.Unusable as exc:
        return Rejected(f"draft_{exc.code}", params=exc.params, english=str(exc))
    if changed == draft.definition:
        return draft
    return await _save(conn, who, draft, draft.revision, changed, draft.definition)


async def undo(
    conn: asyncpg.Connection, who: Principal, draft_id: int, revision: int | None
) -> Draft | Stale | Rejected:
    """Put back the definition from before the last change (one step: undo cannot be undone)."""
    draft = await draft_for(conn, who, draft_id)
    if not _on(draft, revision):
        return Stale(draft)
    previous = await drafts_db.previous_definition(conn, draft_id)
    if previous is None:
        return Rejected("draft_nothing_to_undo")
    return await _save(conn, who, draft, draft.revision, previous, None)


async def discard(
    conn: asyncpg.Connection, who: Principal, draft_id: int, revision: int | None
) -> Stale | None:
    """Delete the draft, unless it changed since ``revision`` (then the writer sees it first)."""
    draft = await draft_for(conn, who, draft_id)
    if not _on(draft, revision) or not await drafts_db.delete_draft(
        conn, draft_id, revision=draft.revision
    ):
        return Stale(await _current(conn, draft_id))
    return None


# -- publishing ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    """What publishing the draft would do: the version it follows (None for a new questionnaire), the
    diff against it, and the rules the draft still breaks (publishing waits until there are none).
    ``foreign`` is true when the key belongs to a questionnaire of another team."""

    previous: QuestionnaireVersion | None
    diff: Diff | None
    problems: tuple[str, ...]
    foreign: bool = False


async def verdict(conn: asyncpg.Connection, who: Principal, draft: Draft) -> Verdict:
    """Compare the draft with the latest published version of its key, as the loader completes it."""
    errors = tuple(edits.problems(draft.definition))
    previous = await questionnaires_db.latest_version(conn, draft.definition.key)
    if previous is not None and who.role_in(previous.team_id) not in DESIGNERS:
        # Another team's questionnaire: nothing of it is shown, and publishing will be refused.
        return Verdict(previous=None, diff=None, problems=errors, foreign=True)
    if errors or previous is None:
        return Verdict(previous=previous, diff=None, problems=errors)
    return Verdict(
        previous=previous,
        diff=diff(previous.definition, edits.publishable(draft.definition)),
        problems=errors,
    )


async def ready_to_publish(
    conn: asyncpg.Connection,
    who: Principal,
    draft_id: int,
    revision: int | None,
    equivalent: Mapping[str, bool],
) -> tuple[Draft, Questionnaire] | Stale | Rejected:
    """Mark the changes ``equivalent`` decides (item key → declared cosmetic or not), save that in the
    draft, and give back the definition to publish, completed by the loader; Rejected with the loader's
    lines while the draft breaks a rule."""
    draft = await draft_for(conn, who, draft_id)
    if not _on(draft, revision):
        return Stale(draft)
    marked = edits.mark_equivalent(draft.definition, equivalent)
    try:
        definition = edits.publishable(marked)
    except InvalidDefinition as exc:
        return Rejected("publish_failed", details=tuple(exc.errors))
    if marked != draft.definition:
        saved = await _save(conn, who, draft, draft.revision, marked, draft.definition)
        if not isinstance(saved, Draft):
            return saved
        draft = saved
    return draft, definition
