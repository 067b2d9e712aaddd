"""The questionnaire definition as frozen msgspec Structs.

The Structs mirror the YAML format described in ``docs/questionnaire-format.md`` field for field. They are
built by :mod:`survey.questionnaire.load`, which validates them and normalises them (texts NFC-normalised
and stripped, defaults made explicit) so that a loaded Struct is already canonical. Decoding a stored
canonical definition back (``msgspec.convert(obj, Questionnaire)``) gives an equal Struct.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Literal

import msgspec

__all__ = [
    "CONSENT_VALUES",
    "DEFAULT_MAX_LENGTH",
    "ITEM_TYPES",
    "SCORINGS",
    "Analysis",
    "Choice",
    "Item",
    "ItemType",
    "LikertScale",
    "Outcome",
    "OutcomeKind",
    "Questionnaire",
    "Scoring",
    "Section",
    "Text",
    "Variable",
]

Text = dict[str, str]
"""A text in every declared language: language code → string."""

ItemType = Literal[
    "choice",
    "multi",
    "likert",
    "integer",
    "decimal",
    "text",
    "date",
    "consent",
    "note",
    "panel_code",
]
ITEM_TYPES: tuple[str, ...] = ItemType.__args__
Scoring = Literal["all_or_nothing", "partial", "corrected"]
SCORINGS: tuple[str, ...] = Scoring.__args__
"""How a multi knowledge item can be scored (survey.analysis.scoring.item_correct says how)."""
OutcomeKind = Literal["score", "scale", "proportion"]

CONSENT_VALUES: tuple[str, str] = ("yes", "no")
"""The answers a ``consent`` item stores."""

DEFAULT_MAX_LENGTH: dict[str, int] = {"text": 500, "panel_code": 32}
"""``max_length`` of the types that have one, when the definition does not say."""

_OPTIONS = {"frozen": True, "forbid_unknown_fields": True, "omit_defaults": True, "kw_only": True}


class Choice(msgspec.Struct, **_OPTIONS):
    """One answer option of a ``choice`` or ``multi`` item.

    ``properties`` (name → value) are what an item's ``choice_filter`` compares with earlier answers:
    a soum's ``aimag``, say, so that only the soums of the aimag answered before are offered.
    """

    value: str
    label: Text
    properties: dict[str, str] | None = None


class LikertScale(msgspec.Struct, **_OPTIONS):
    """A named Likert scale: ``points`` labels per language, the first stored as 1."""

    points: int
    labels: dict[str, list[str]]


class Item(msgspec.Struct, **_OPTIONS):
    """One question (or a ``note``, which only shows its text).

    ``choices`` is an inline list or the name of an entry of ``Questionnaire.choice_lists``; use
    :meth:`Questionnaire.choices_for` to get the resolved list. ``min``/``max`` are numbers for
    ``integer``/``decimal`` items and ``YYYY-MM-DD`` strings for ``date`` items.

    ``choice_filter`` maps a choice property to an earlier item: only the choices whose property
    equals that item's answer (or is among its answers, for a multi item) are offered; the property
    ``value`` is the choice's own value. ``constraint`` is an expression that must hold for an answer
    to be accepted (the item's own key names the answer being checked), and ``constraint_message``
    what the respondent reads when it does not. A text or hint may show earlier answers and
    calculated values with ``${key}`` (see :mod:`survey.questionnaire.computed`).
    """

    key: str
    type: ItemType
    text: Text
    hint: Text | None = None
    required: bool = False
    show_if: str | None = None
    choices: list[Choice] | str | None = None
    correct: str | list[str] | None = None
    scoring: Scoring | None = None
    scale: str | None = None
    reverse: bool = False
    min: int | float | str | None = None
    max: int | float | str | None = None
    max_length: int | None = None
    equivalent: bool = False
    choice_filter: dict[str, str] | None = None
    constraint: str | None = None
    constraint_message: Text | None = None

    @property
    def is_knowledge(self) -> bool:
        """True for a knowledge item: one with a ``correct`` answer."""
        return self.correct is not None

    @property
    def answerable(self) -> bool:
        """True for every type but ``note``, which has no answer."""
        return self.type != "note"


class Section(msgspec.Struct, **_OPTIONS):
    """A group of items shown together (one page, split when long)."""

    key: str
    items: list[Item]
    title: Text | None = None
    show_if: str | None = None


class Outcome(msgspec.Struct, **_OPTIONS):
    """What the analysis reports: a ``score``, a ``scale`` or a ``proportion``.

    ``items`` is used by ``score`` and ``scale``; ``reverse`` and ``min_answered`` by ``scale``;
    ``item`` and ``value`` by ``proportion``.
    """

    kind: OutcomeKind
    label: Text
    items: list[str] | None = None
    reverse: list[str] | None = None
    min_answered: float = 0.5
    item: str | None = None
    value: str | list[str] | None = None


class Variable(msgspec.Struct, **_OPTIONS):
    """An item that describes respondents, for the ``analysis:`` block: a covariate or a grouping item.

    ``bands`` cuts the answers of an ``integer`` item into groups: each number starts a band, so
    ``[22, 25]`` on ages 18 to 27 gives 18–21, 22–24 and 25–27. In a definition's canonical form an
    entry without bands is written as the item's key alone.
    """

    item: str
    bands: list[int] | None = None


class Analysis(msgspec.Struct, **_OPTIONS):
    """What the analysis adjusts for and where it breaks effects down (the ``analysis:`` block).

    ``covariates``: ``choice`` items (each answer a category), ``integer`` and ``decimal`` items (a
    number, or bands of an integer) describing who answered; effects of independent samples are
    adjusted for them and the report shows their balance before and after. ``subgroups``: ``choice``
    items, or ``integer`` items with ``bands``, whose groups each get their own effect. An entry is an
    item key or a :class:`Variable`; :meth:`variables` gives both kinds as Variables.
    """

    covariates: list[str | Variable] = []
    subgroups: list[str | Variable] = []

    @staticmethod
    def variables(entries: list[str | Variable]) -> list[Variable]:
        """The entries of ``covariates`` or ``subgroups`` as :class:`Variable` objects."""
        return [Variable(item=e) if isinstance(e, str) else e for e in entries]


class Questionnaire(msgspec.Struct, dict=True, **_OPTIONS):
    """A whole questionnaire definition (one ``forms/<key>.yaml`` file).

    A text may lack a translation in a language other than the first (the default): it is then shown
    in the default language, and :func:`survey.questionnaire.computed.untranslated` lists each one.
    """

    key: str
    languages: list[str]
    title: Text
    sections: list[Section]
    description: Text | None = None
    choice_lists: dict[str, list[Choice]] = {}
    likert_scales: dict[str, LikertScale] = {}
    outcomes: dict[str, Outcome] = {}
    calculations: dict[str, str] = {}
    """Calculated values: key → expression (see :func:`survey.questionnaire.expressions.calculate`),
    computed from the answers whenever needed and never stored; usable in conditions and in ``${key}``."""
    analysis: Analysis | None = None

    @property
    def default_language(self) -> str:
        """The language shown to respondents unless they choose another: the first declared."""
        return self.languages[0]

    def items(self) -> Iterator[Item]:
        """Every item of every section, in questionnaire order."""
        for section in self.sections:
            yield from section.items

    def item(self, key: str) -> Item:
        """The item with this key; KeyError when there is none."""
        try:
            return self._index[key][1]
        except KeyError:
            raise KeyError(f'no item "{key}" in questionnaire "{self.key}"') from None

    def section_of(self, key: str) -> Section:
        """The section holding the item with this key; KeyError when there is none."""
        try:
            return self._index[key][0]
        except KeyError:
            raise KeyError(f'no item "{key}" in questionnaire "{self.key}"') from None

    def choices_for(self, item: Item) -> list[Choice]:
        """The choices of a ``choice`` or ``multi`` item, resolving a named choice list.

        Raises ValueError for an item without choices (every other type, including ``consent``, whose
        answers are :data:`CONSENT_VALUES`).
        """
        if item.choices is None:
            raise ValueError(f'item "{item.key}" ({item.type}) has no choices')
        if isinstance(item.choices, str):
            return self.choice_lists[item.choices]
        return item.choices

    def scale_for(self, item: Item) -> LikertScale:
        """The Likert scale of a ``likert`` item; ValueError for any other item."""
        if item.scale is None:
            raise ValueError(f'item "{item.key}" ({item.type}) has no Likert scale')
        return self.likert_scales[item.scale]

    @cached_property
    def _index(self) -> dict[str, tuple[Section, Item]]:
        # Built once per (immutable) definition: answer validation looks items up by key on every page.
        return {item.key: (section, item) for section in self.sections for item in section.items}
