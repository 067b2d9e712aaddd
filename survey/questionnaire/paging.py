"""Pages of a questionnaire and what is visible on them, decided from saved answers only.

Every section is one page, split into several when it is long. A page also ends before any item whose
``show_if``, ``choice_filter`` or piped ``${key}`` text depends on an item on that same page (through a
calculated value too): expressions may only refer to items asked before them, so with this rule what
is shown on a page (which items, which choices, which words) depends on earlier pages alone, and the
server can decide it before the respondent answers anything on the page, with JavaScript off and no
guessing. So a soum list filtered by the aimag answered is always on the page after the aimag
question. A question whose ``choice_filter`` leaves no choice to offer is not shown.

Conditions read calculated values as if they were answers (:func:`survey.questionnaire.computed.with_calculations`).

Everything here is pure: a :class:`Plan` is built once per questionnaire version (see :func:`plan_for`)
and answers are plain mappings of item key to stored answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from survey.questionnaire.computed import (
    item_dependencies,
    offered_choices,
    requirements,
    with_calculations,
)
from survey.questionnaire.expressions import compile_expression, names, parse
from survey.questionnaire.model import Item, Questionnaire, Section

__all__ = ["MAX_ITEMS_PER_PAGE", "Page", "Plan", "is_answered", "plan_for"]

#: The most questions (notes not counted) on one page; a longer section is split into parts of nearly
#: equal length. Eight questions fill about two phone screens.
MAX_ITEMS_PER_PAGE: Final = 8

Predicate = Callable[[Mapping[str, object]], bool]


def _always(answers: Mapping[str, object]) -> bool:
    return True


def is_answered(value: object) -> bool:
    """True when a stored answer counts as given: not missing, not empty text, not an empty list."""
    return not (value is None or value == "" or value == [])


@dataclass(frozen=True, slots=True)
class Page:
    """One page: a section, or one part of a long section.

    ``number`` counts from 1 over all pages of the questionnaire, visible or not, so it is stable for a
    version; ``key`` (the section key, with ``.2``, ``.3`` ... for later parts) is what a response records
    as saved.
    """

    number: int
    key: str
    section: Section
    items: tuple[Item, ...]
    part: int
    parts: int
    #: The items with an answer (every item but notes); asked for on every request, so kept.
    questions: tuple[Item, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "questions", tuple(item for item in self.items if item.answerable))


def _units(items: Iterable[Item]) -> list[list[Item]]:
    """Group items so that notes stay with the question after them (a note introduces what follows)."""
    units: list[list[Item]] = []
    pending: list[Item] = []
    for item in items:
        pending.append(item)
        if item.answerable:
            units.append(pending)
            pending = []
    if pending:
        if units:
            units[-1].extend(pending)
        else:
            units.append(pending)
    return units


def _split_section(q: Questionnaire, section: Section, limit: int) -> list[list[Item]]:
    # First cut where an item depends on one already on the page, then cut long runs evenly.
    runs: list[list[list[Item]]] = [[]]
    on_page: set[str] = set()
    for unit in _units(section.items):
        needs = set().union(*(item_dependencies(q, item) for item in unit))
        if needs & on_page:
            runs.append([])
            on_page = set()
        runs[-1].append(unit)
        on_page.update(item.key for item in unit)
    pages: list[list[Item]] = []
    for run in runs:
        if not run:
            continue
        parts = max(1, math.ceil(len(run) / limit))
        size = math.ceil(len(run) / parts)
        for start in range(0, len(run), size):
            pages.append([item for unit in run[start : start + size] for item in unit])
    return pages


class Plan:
    """The pages of one questionnaire version and the ``show_if`` predicates of its sections and items.

    Parameters
    ----------
    questionnaire
        A validated definition (expressions that do not parse were refused when it was published).
    max_items
        The most questions on a page.
    """

    def __init__(
        self, questionnaire: Questionnaire, *, max_items: int = MAX_ITEMS_PER_PAGE
    ) -> None:
        self.questionnaire = questionnaire
        pages: list[Page] = []
        self._section_shown: dict[str, Predicate] = {}
        self._item_shown: dict[str, Predicate] = {}
        self._page_of: dict[str, Page] = {}
        for section in questionnaire.sections:
            self._section_shown[section.key] = self._predicate(section.show_if)
            chunks = _split_section(questionnaire, section, max_items)
            for part, chunk in enumerate(chunks, start=1):
                key = section.key if part == 1 else f"{section.key}.{part}"
                page = Page(len(pages) + 1, key, section, tuple(chunk), part, len(chunks))
                pages.append(page)
                for item in chunk:
                    self._item_shown[item.key] = self._item_predicate(item)
                    self._page_of[item.key] = page
        self.pages: tuple[Page, ...] = tuple(pages)
        self._by_key = {page.key: page for page in pages}
        # The item keys each section's and each page's visibility depends on.
        self._section_needs: dict[str, frozenset[str]] = {
            section.key: frozenset(
                requirements(questionnaire, names(parse(section.show_if)))
                if section.show_if
                else ()
            )
            for section in questionnaire.sections
        }
        self._needs: dict[str, frozenset[str]] = {
            page.key: self._section_needs[page.section.key].union(
                *(item_dependencies(questionnaire, item) for item in page.items)
            )
            for page in pages
        }
        # Asked several times per request and the same for every respondent: worked out once, when
        # first asked (a tuple, to tell "not yet" from "no page").
        self._first: tuple[Page | None] | None = None

    def _predicate(self, show_if: str | None) -> Predicate:
        if not show_if:
            return _always
        condition = compile_expression(show_if)
        q = self.questionnaire
        if not q.calculations:
            return condition
        return lambda answers: condition(with_calculations(q, answers))

    def _item_predicate(self, item: Item) -> Predicate:
        shown = self._predicate(item.show_if)
        if not item.choice_filter:
            return shown
        q = self.questionnaire
        return lambda answers: shown(answers) and bool(offered_choices(q, item, answers))

    # -- looking things up ------------------------------------------------------------------------------

    def page(self, number: int) -> Page | None:
        """The page with this number, or None when there is none."""
        return self.pages[number - 1] if 1 <= number <= len(self.pages) else None

    def page_by_key(self, key: str) -> Page | None:
        return self._by_key.get(key)

    def page_of(self, item_key: str) -> Page:
        """The page an item is on; KeyError for an unknown key."""
        return self._page_of[item_key]

    # -- visibility -------------------------------------------------------------------------------------

    def item_visible(self, item: Item, answers: Mapping[str, object]) -> bool:
        """True when the item's section and the item itself are shown, given these answers."""
        page = self._page_of[item.key]
        return self._section_shown[page.section.key](answers) and self._item_shown[item.key](
            answers
        )

    def visible_items(self, page: Page, answers: Mapping[str, object]) -> list[Item]:
        """The items of ``page`` shown with these answers, in order."""
        if not self._section_shown[page.section.key](answers):
            return []
        return [item for item in page.items if self._item_shown[item.key](answers)]

    def page_visible(self, page: Page, answers: Mapping[str, object]) -> bool:
        """A page is shown when one of its questions is (or, for a page of notes only, one note is)."""
        if not self._section_shown[page.section.key](answers):
            return False
        shown = self._item_shown
        # Stops at the first shown question: this runs for every page, several times per request.
        return any(shown[item.key](answers) for item in page.questions or page.items)

    def visible_pages(self, answers: Mapping[str, object]) -> list[Page]:
        return [page for page in self.pages if self.page_visible(page, answers)]

    def clear_hidden(self, answers: Mapping[str, object]) -> dict[str, object]:
        """The answers without those to items hidden by the other answers.

        Items are visited in questionnaire order and an expression only refers to earlier items, so
        one pass reaches the fixed point: clearing an answer can only hide items after it.
        """
        kept = dict(answers)
        for page in self.pages:
            for item in page.items:
                if item.key in kept and not self.item_visible(item, kept):
                    del kept[item.key]
        return kept

    # -- progress ---------------------------------------------------------------------------------------

    def page_complete(self, page: Page, answers: Mapping[str, object]) -> bool:
        """True when every visible required question of the page has an answer."""
        return all(
            is_answered(answers.get(item.key))
            for item in self.visible_items(page, answers)
            if item.answerable and item.required
        )

    def saved_pages(self, keys: Iterable[str], answers: Mapping[str, object]) -> list[str]:
        """Of the page keys recorded as saved, those still visible and complete, in page order.

        A change on an earlier page can hide a saved page, or show a required question on it; such a
        page is no longer counted as saved, so the respondent is taken back to it.
        """
        wanted = set(keys)
        return [
            page.key
            for page in self.pages
            if page.key in wanted
            and self.page_visible(page, answers)
            and self.page_complete(page, answers)
        ]

    def resume_page(self, saved: Iterable[str], answers: Mapping[str, object]) -> Page | None:
        """The first visible page not saved yet, or None when every visible page is saved."""
        done = set(saved)
        for page in self.visible_pages(answers):
            if page.key not in done:
                return page
        return None

    def first_page(self) -> Page | None:
        """The page a new respondent starts on (the first visible with no answers)."""
        if self._first is None:
            visible = self.visible_pages({})
            self._first = (visible[0] if visible else None,)
        return self._first[0]

    def progress(self, page: Page, answers: Mapping[str, object]) -> tuple[int, int, bool]:
        """Where ``page`` stands: its position among the pages shown, their total, and whether it is last.

        Pages after this one whose visibility depends on a question not answered yet (often one on
        this very page) are counted as coming, so that a consent page is not announced as the only
        page and its button does not say "Submit".
        """
        answered = {key for key, value in answers.items() if is_answered(value)}
        before = [p for p in self.pages[: page.number - 1] if self.page_visible(p, answers)]
        after = [p for p in self.pages[page.number :] if self._may_show(p, answers, answered)]
        current = len(before) + 1
        return current, current + len(after), not after

    def _may_show(self, page: Page, answers: Mapping[str, object], answered: set[str]) -> bool:
        if self.page_visible(page, answers):
            return True
        section = page.section.key
        if self._section_needs[section] <= answered and not self._section_shown[section](answers):
            return False  # its section is hidden by answers already given
        return not self._needs[page.key] <= answered

    def next_page(self, page: Page, answers: Mapping[str, object]) -> Page | None:
        """The visible page after ``page``, or None when it is the last."""
        for candidate in self.pages[page.number :]:
            if self.page_visible(candidate, answers):
                return candidate
        return None

    def previous_page(self, page: Page, answers: Mapping[str, object]) -> Page | None:
        """The visible page before ``page``, or None when it is the first."""
        for candidate in reversed(self.pages[: page.number - 1]):
            if self.page_visible(candidate, answers):
                return candidate
        return None


def plan_for(questionnaire: Questionnaire) -> Plan:
    """The :class:`Plan` of a definition (callers cache it per version; see ``survey.collect.service``)."""
    return Plan(questionnaire)
