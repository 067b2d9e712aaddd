"""The plan of an export: which responses (rows) and which columns, decided before any row is read.

The columns are ``response_id``, ``wave``, ``phase``, ``arm``, ``version``, ``language``, ``started_at``,
``submitted_at``, ``status``, ``channel`` (``web`` or ``field``), ``enumerator`` and ``review`` (field
responses: survey.field), ``pair_id`` (panel designs only), then one column per item key (a
multi-choice item as one 0/1 column per choice, named ``item/choice``), then one column per declared
outcome, ``outcome_<key>``, with the respondent's score. The items are the union of the items of every
questionnaire version the exported waves use, in questionnaire order; a response answered on a version
without an item (or without a choice) has an empty cell there. Every format writes these columns; SPSS
names them with :func:`spss_names`.

``response_id`` is the response's public id, never the id its respondent's cookie holds (whoever knew
that one could continue an unfinished response as her). ``pair_id`` is the same random value on a
respondent's complete pre and post responses of a panel campaign, given when the two are first found
linked; the panel key they are linked by never leaves the database (see docs/privacy.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import asyncpg
import msgspec

from survey.db import campaigns as campaigns_db
from survey.db import console as console_db
from survey.db import questionnaires as questionnaires_db
from survey.db.campaigns import Campaign, Wave
from survey.db.questionnaires import QuestionnaireVersion
from survey.errors import InvalidAnswer, NotFound
from survey.questionnaire.model import Item, Questionnaire

__all__ = [
    "META_COLUMNS",
    "Column",
    "ExportPlan",
    "ItemInfo",
    "exported_items",
    "merge_order",
    "plan_export",
    "spss_names",
    "text_in",
]

META_COLUMNS: tuple[tuple[str, str], ...] = (
    (
        "response_id",
        "public identifier of the response (not the one the respondent's browser holds)",
    ),
    ("wave", "wave key"),
    ("phase", "pre or post"),
    ("arm", "campaign or comparison"),
    ("version", "questionnaire version the response was answered on"),
    ("language", "language the respondent used"),
    ("started_at", "when the respondent started (UTC)"),
    ("submitted_at", "when the respondent submitted (UTC)"),
    ("status", "complete, in_progress or declined"),
    ("channel", "web (the respondent's own form) or field (ODK Collect, KoboCollect, Enketo)"),
    ("enumerator", "field responses: the enumerator whose own field address delivered it"),
    (
        "review",
        "field responses with answers that broke a rule: pending (out of the report), accepted or "
        "rejected; empty when nothing was flagged",
    ),
)
PAIR_COLUMN = (
    "pair_id",
    "the same random identifier on a respondent's complete pre and post responses (panel designs)",
)
STARTED, SUBMITTED, STATUS = 6, 7, 8  # positions among the meta columns


class ChoiceInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A choice of a choice or multi item; ``code`` is its number in the SPSS file (1, 2, ...)."""

    value: str
    label: dict[str, str]
    code: int


class ItemInfo(msgspec.Struct, frozen=True, kw_only=True):
    """An item as exported: described by the newest version that has it."""

    key: str
    type: str
    section: str
    text: dict[str, str]
    hint: dict[str, str] | None
    choices: list[ChoiceInfo]
    scale_labels: dict[str, list[str]] | None
    correct: str | list[str] | None
    scoring: str | None
    reverse: bool
    versions: list[int]
    fingerprints: dict[str, str]
    """Version number (as text) → the item's fingerprint in that version."""
    same_type: bool
    """Whether every version has the item with the same type (else the SPSS file stores it as text)."""
    free_text: bool
    """Whether some version asks it as free text (a ``text`` item): what a respondent typed as she liked."""

    @property
    def fingerprint(self) -> str:
        return self.fingerprints[str(self.versions[-1])]


class OutcomeInfo(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    kind: str
    label: dict[str, str]
    items: list[str]
    versions: list[int]


class Column(msgspec.Struct, frozen=True, kw_only=True):
    """One column of the export. ``label`` is the SPSS variable label: the original name, then a text."""

    name: str
    spss_name: str
    label: str
    kind: Literal["meta", "item", "choice", "outcome"]
    key: str | None = None
    choice: str | None = None


class ExportPlan(msgspec.Struct, frozen=True, kw_only=True):
    campaign: Campaign
    waves: list[Wave]
    wave: str | None
    include_partial: bool
    versions: dict[int, QuestionnaireVersion]
    """Version id → version, for every version a response or a wave uses."""
    items: list[ItemInfo]
    outcomes: list[OutcomeInfo]
    columns: list[Column]
    language: str
    languages: list[str]

    @property
    def statuses(self) -> tuple[str, ...]:
        return console_db.STATUSES if self.include_partial else ("complete",)

    @property
    def has_pairs(self) -> bool:
        """Whether the export has the ``pair_id`` column: a panel design's."""
        return self.campaign.design == "panel"

    def file_stem(self) -> str:
        return self.campaign.key + (f"-{self.wave}" if self.wave else "")


def merge_order(sequences: Iterable[Sequence[str]]) -> list[str]:
    """The union of several orderings: a key first seen in a later sequence goes right after the key
    before it there (or first), so an item added in the middle of a newer version stays in the middle."""
    merged: list[str] = []
    seen: set[str] = set()
    for sequence in sequences:
        previous: str | None = None
        for key in sequence:
            if key not in seen:
                merged.insert(0 if previous is None else merged.index(previous) + 1, key)
                seen.add(key)
            previous = key
    return merged


def exported_items(q: Questionnaire) -> list[Item]:
    # A note has no answer; a panel code is never exported (only its keyed hash is stored).
    return [i for i in q.items() if i.answerable and i.type != "panel_code"]


def _item_infos(ordered: list[QuestionnaireVersion]) -> list[ItemInfo]:
    keys = merge_order([i.key for i in exported_items(v.definition)] for v in ordered)
    infos = []
    for key in keys:
        having = [v for v in ordered if any(i.key == key for i in exported_items(v.definition))]
        newest = having[-1]
        q = newest.definition
        item = q.item(key)
        choice_lists = []
        labels: dict[str, dict[str, str]] = {}
        for v in having:
            it = v.definition.item(key)
            if it.type in ("choice", "multi") and it.choices is not None:
                found = v.definition.choices_for(it)
                choice_lists.append([c.value for c in found])
                labels.update({c.value: c.label for c in found})
        values = merge_order(choice_lists)
        scale = q.scale_for(item) if item.type == "likert" else None
        infos.append(
            ItemInfo(
                key=key,
                type=item.type,
                section=q.section_of(key).key,
                text=item.text,
                hint=item.hint,
                choices=[
                    ChoiceInfo(value=value, label=labels[value], code=n)
                    for n, value in enumerate(values, start=1)
                ],
                scale_labels=scale.labels if scale is not None else None,
                correct=item.correct,
                scoring=item.scoring,
                reverse=item.reverse,
                versions=[v.version for v in having],
                fingerprints={str(v.version): v.fingerprints.get(key, "") for v in having},
                same_type=len({v.definition.item(key).type for v in having}) == 1,
                free_text=any(v.definition.item(key).type == "text" for v in having),
            )
        )
    return infos


def _outcome_infos(ordered: list[QuestionnaireVersion]) -> list[OutcomeInfo]:
    # Stored definitions are jsonb, which keeps no key order: outcomes come in alphabetical order.
    keys = sorted({key for v in ordered for key in v.definition.outcomes})
    infos = []
    for key in keys:
        having = [v for v in ordered if key in v.definition.outcomes]
        outcome = having[-1].definition.outcomes[key]
        items = outcome.items if outcome.items is not None else [outcome.item or ""]
        infos.append(
            OutcomeInfo(
                key=key,
                kind=outcome.kind,
                label=outcome.label,
                items=list(items),
                versions=[v.version for v in having],
            )
        )
    return infos


# SPSS keywords that cannot name a variable (IBM SPSS Statistics, "Variable names").
SPSS_RESERVED = frozenset(
    {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}
)
SPSS_NAME_BYTES = 64


def spss_names(names: Sequence[str]) -> list[str]:
    """Variable names SPSS accepts, one per name, unique regardless of case.

    SPSS wants at most 64 bytes, a letter first, then letters, digits, ``_``, ``.`` or ``@``, no final
    period, and none of its keywords (``TO``, ``BY``...). Other characters become ``_`` (only ASCII is
    kept, so the names also survive older readers), a name not starting with a letter gets a ``v`` in
    front, keywords get a final ``_``, and a name already taken gets ``_2``, ``_3``... within the limit.
    """
    taken: set[str] = set()
    result = []
    for original in names:
        name = "".join(
            c if (c.isascii() and (c.isalnum() or c in "_.@")) else "_" for c in original
        )
        if not name or not (name[0].isascii() and name[0].isalpha()):
            name = "v" + name
        name = name[:SPSS_NAME_BYTES].rstrip(".") or "v"
        if name.upper() in SPSS_RESERVED:
            name += "_"
        candidate, n = name, 1
        while candidate.upper() in taken:
            n += 1
            suffix = f"_{n}"
            candidate = name[: SPSS_NAME_BYTES - len(suffix)] + suffix
        taken.add(candidate.upper())
        result.append(candidate)
    return result


def text_in(text: Mapping[str, str] | None, language: str) -> str:
    if not text:
        return ""
    return text.get(language) or next(iter(text.values()), "")


def _columns(
    items: list[ItemInfo], outcomes: list[OutcomeInfo], panel: bool, language: str
) -> list[Column]:
    specs: list[tuple[str, str, str, str | None, str | None]] = [
        (name, description, "meta", None, None)
        for name, description in (*META_COLUMNS, *((PAIR_COLUMN,) if panel else ()))
    ]
    for item in items:
        text = text_in(item.text, language)
        if item.type == "multi":
            for choice in item.choices:
                label = f"{text} [{text_in(choice.label, language)}]"
                specs.append(
                    (f"{item.key}/{choice.value}", label, "choice", item.key, choice.value)
                )
        else:
            specs.append((item.key, text, "item", item.key, None))
    for outcome in outcomes:
        specs.append(
            (
                f"outcome_{outcome.key}",
                text_in(outcome.label, language),
                "outcome",
                outcome.key,
                None,
            )
        )
    names = spss_names([s[0] for s in specs])
    return [
        Column(
            name=name,
            spss_name=spss_name,
            label=f"{name}: {description}" if description else name,
            kind=kind,  # type: ignore[arg-type]
            key=key,
            choice=choice,
        )
        for (name, description, kind, key, choice), spss_name in zip(specs, names, strict=True)
    ]


async def plan_export(
    conn: asyncpg.Connection,
    campaign_key: str,
    *,
    wave: str | None = None,
    include_partial: bool = False,
    language: str | None = None,
) -> ExportPlan:
    """Decide the rows and columns of an export of a campaign (or one of its waves).

    ``language`` is the language of the labels in the SPSS file and of the codebook's label columns;
    default: the first language of the newest version.
    """
    campaign = await campaigns_db.get_campaign(conn, campaign_key)
    waves = await campaigns_db.waves_of(conn, campaign_key)
    if wave is not None:
        waves = [w for w in waves if w.key == wave]
        if not waves:
            raise NotFound(f'campaign "{campaign_key}" has no wave "{wave}"')
    version_ids = {w.version_id for w in waves}
    version_ids |= await console_db.response_version_ids(conn, [w.id for w in waves])
    versions = {vid: await questionnaires_db.get_version_by_id(conn, vid) for vid in version_ids}
    ordered = sorted(versions.values(), key=lambda v: v.version)
    languages = merge_order(v.definition.languages for v in ordered)
    if language is None:
        language = ordered[-1].definition.default_language if ordered else "en"
    elif ordered and language not in languages:
        raise InvalidAnswer(
            f'language "{language}" is not one of the questionnaire\'s: {", ".join(languages)}'
        )
    items = _item_infos(ordered)
    outcomes = _outcome_infos(ordered)
    return ExportPlan(
        campaign=campaign,
        waves=waves,
        wave=wave,
        include_partial=include_partial,
        versions=versions,
        items=items,
        outcomes=outcomes,
        columns=_columns(items, outcomes, campaign.design == "panel", language),
        language=language,
        languages=languages,
    )
