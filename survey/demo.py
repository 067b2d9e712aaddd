"""``survey demo``: three campaigns on the shipped questionnaires, answered by synthetic respondents.

The respondents follow a simple model whose true effects are known exactly, so the report's estimates
can be checked against them:

- a knowledge item j of J is answered right with probability ``0.25 + 0.30 j / (J - 1)`` before, plus
  the respondent's shift for their characteristics (:class:`Characteristic`), plus after the campaign its change
  times the respondent's factor (:class:`Modifier`), with no clipping for the stated numbers (a wrong
  answer is another choice; for a multi-choice item, every choice classified wrongly), so the true
  effect on a knowledge score (the mean share right) is the mean of the item changes;
- the Likert items of a scale come from a latent normal (a person's trait plus noise, variance 1) cut
  at -1.5, -0.5, 0.5 and 1.5, shifted after the campaign by the change times the factor, so the expected
  item value is ``1 + sum(Phi(mu - c))`` and the true effect on the scale score is exact too;
- a proportion's answer is its value with probability 0.40 before and 0.40 + change × factor after;
- the comparison arm of ``demo-corruption`` answers after as it did before (no shift).

Who answers: a :class:`Characteristic` is drawn from its stated shares, which may differ between the
waves of independent samples: in ``demo-trafficking`` the after wave holds more of the better educated,
who know more before any campaign, so the crude change of knowledge overstates the campaign's effect
and the estimate adjusted for who answered (the questionnaire's covariates) recovers it. A
:class:`Modifier` makes the effect differ between groups: larger for the youngest women of
``demo-trafficking``, for civil society and the media in ``demo-corruption``; the same for every job in
``demo-ethics``. A factor's mean over the population is 1, so each outcome's true effect is its stated
change (for a scale, the mean over the factors of the latent model's expectation).

Every response is written by :func:`survey.collect.service.save_page`, page by page, with the form
fields a browser would post, so the answers go through the same checks, ``show_if`` rules and panel
code hashing as a real submission. A collection also has people who stop part of the way
(:data:`STOPPED_SHARE` more per wave, never counted by the report), and it takes days: each response is
then given the time it would have had (:func:`_timeline`), the waves some weeks apart, each answered
in a few minutes, so the monitoring pages read as a real campaign's. Those draws come from a random
stream of their own, so the complete responses, and the reports, are what the seed alone makes.
"""

from __future__ import annotations

import math
import random
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from survey.analysis.results import EffectSummary, OutcomeReport, Report
from survey.collect.answers import PostedForm
from survey.collect.ratelimit import StartLimiter
from survey.collect.service import CollectState, Finished, GoTo, save_page
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import questionnaires as questionnaires_db
from survey.db import responses as responses_db
from survey.db.campaigns import Wave
from survey.errors import SurveyError
from survey.questionnaire.model import Item, Questionnaire
from survey.questionnaire.paging import Page, Plan

__all__ = [
    "DEMO_CAMPAIGNS",
    "DEMO_EMAIL",
    "CampaignSpec",
    "DemoResult",
    "TrueEffect",
    "run_demo",
    "true_effects",
]

DEMO_EMAIL = "demo@example.org"
#: Cut points of the latent normal between Likert answers 1|2, 2|3, 3|4 and 4|5.
CUTS = (-1.5, -0.5, 0.5, 1.5)
#: Share of a scale's latent variance that is the person's trait (shared by the scale's items and, in
#: a panel, by both waves); the rest is noise per item and wave.
TRAIT_SHARE = 0.5
PANEL_ATTRITION = 0.15
DECLINE_SHARE = 0.02
#: People per wave, beyond those who finish, who stop after some pages (as a share of the wave).
STOPPED_SHARE = 0.08
#: When each wave was collected, in days before the demo is written: (first day, days it lasted).
WAVE_DAYS = {"pre": (45, 12), "post": (16, 12)}
#: The median minutes a respondent takes to finish, and the spread of the log of that time.
MEDIAN_MINUTES, LOG_SPREAD = 7.0, 0.4
#: The latent mean of a scale's items before the campaign, and a proportion's chance before it.
SCALE_MU = -0.3
PROPORTION_P = 0.40


@dataclass(frozen=True)
class Characteristic:
    """A characteristic of the respondents: a choice item answered from stated shares.

    ``before`` gives each choice's share (every choice alike when empty); ``after`` the shares of an
    after wave of different people, when they differ (a panel's people keep their answer).
    ``knowledge`` adds to the chance of answering each knowledge item right, per choice.
    """

    item: str
    before: dict[str, float] = field(default_factory=dict)
    after: dict[str, float] = field(default_factory=dict)
    knowledge: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Modifier:
    """How the campaign's effect differs between groups: per group, a multiple of every stated change.

    A choice item's ``factors`` are keyed by choice (the choices are drawn alike); an integer item's,
    answered uniformly between its min and max, by ``"below"`` and ``"from"`` the number ``cut``. The
    factors average 1 over the population, so the outcome's true effect stays its stated change.
    """

    item: str
    factors: dict[str, float]
    cut: int | None = None

    def factor(self, value: object) -> float:
        if self.cut is None:
            return self.factors[str(value)]
        return self.factors["below" if int(str(value)) < self.cut else "from"]

    def distribution(self, q: Questionnaire) -> list[tuple[str, float, float]]:
        """Each group (a choice, or ``"MIN–CUT-1"`` and ``"CUT–MAX"``) with its share and factor."""
        item = q.item(self.item)
        if self.cut is None:
            choices = [c.value for c in q.choices_for(item)]
            return [(c, 1 / len(choices), self.factors[c]) for c in choices]
        low, high = int(str(item.min)), int(str(item.max))
        below = (self.cut - low) / (high - low + 1)
        return [
            (f"{low}–{self.cut - 1}", below, self.factors["below"]),
            (f"{self.cut}–{high}", 1 - below, self.factors["from"]),
        ]


@dataclass(frozen=True)
class CampaignSpec:
    """One demo campaign and the true change per outcome in its campaign arm.

    ``changes`` maps an outcome key to the gain in probability (``score``: of each item answered
    right; ``proportion``: of the value) or the shift of the latent normal (``scale``).
    ``characteristics`` describe who answers, ``modifier`` for whom the campaign works more or less.
    """

    key: str
    questionnaire: str
    design: str
    changes: dict[str, float]
    cluster: str | None = None
    main: str = "knowledge"
    characteristics: tuple[Characteristic, ...] = ()
    modifier: Modifier | None = None


DEMO_CAMPAIGNS: tuple[CampaignSpec, ...] = (
    CampaignSpec(
        "demo-trafficking",
        "trafficking-knowledge",
        "independent",
        {"knowledge": 0.20, "safe_migration": 0.40, "would_check": 0.15},
        characteristics=(
            # The campaign's outreach drew more of the better educated after, who know more anyway.
            Characteristic(
                "education",
                before={
                    "basic": 0.15,
                    "secondary": 0.40,
                    "vocational": 0.20,
                    "higher": 0.22,
                    "postgrad": 0.03,
                },
                after={
                    "basic": 0.05,
                    "secondary": 0.30,
                    "vocational": 0.20,
                    "higher": 0.38,
                    "postgrad": 0.07,
                },
                knowledge={
                    "basic": -0.15,
                    "secondary": -0.05,
                    "vocational": 0.0,
                    "higher": 0.10,
                    "postgrad": 0.15,
                },
            ),
        ),
        # It worked more for the youngest: 18–21 (4 in 10 of the ages 18–27) gain 1.3 times the
        # stated change, 22–27 gain 0.8 times it.
        modifier=Modifier("age", {"below": 1.3, "from": 0.8}, cut=22),
    ),
    CampaignSpec(
        "demo-ethics",
        "civil-servant-ethics",
        "panel",
        {"knowledge": 0.12, "dignity_respect": 0.30, "accountability": 0.0, "would_speak_up": 0.10},
    ),
    CampaignSpec(
        "demo-corruption",
        "corruption-perceptions",
        "comparison",
        {
            "knowledge": 0.10,
            "perceived_corruption": 0.0,
            "willingness_to_report": 0.35,
            "would_report": 0.12,
        },
        cluster="aimag",
        # The workshops addressed civil society and the media: twice the stated change there, half
        # of it in the other four sectors.
        modifier=Modifier(
            "sector",
            {
                "civil_society": 2.0,
                "media": 2.0,
                "public": 0.5,
                "private": 0.5,
                "student": 0.5,
                "other": 0.5,
            },
        ),
    ),
)


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _likert_mean(mu: float) -> float:
    """Expected answer (1..5) of a latent N(mu, 1) cut at :data:`CUTS`."""
    return 1.0 + sum(_phi(mu - c) for c in CUTS)


class _Model:
    """Answer probabilities of one questionnaire, derived from its declared outcomes and the campaign's
    characteristics and modifier (see the module docstring)."""

    def __init__(self, q: Questionnaire, spec: CampaignSpec) -> None:
        self.q = q
        self.spec = spec
        self.knowledge: dict[str, tuple[float, float]] = {}  # item -> p before, change
        self.likert: dict[str, tuple[str, float, float]] = {}  # item -> scale, mu before, change
        self.values: dict[str, tuple[str, float, float]] = {}  # item -> value, p before, change
        self.kinds: dict[str, tuple[str, float]] = {}  # outcome -> kind, change
        for key, outcome in q.outcomes.items():
            change = spec.changes.get(key, 0.0)
            self.kinds[key] = (outcome.kind, change)
            if outcome.kind == "score":
                items = list(outcome.items or [])
                for j, item in enumerate(items):
                    # Items from hard to easy, so that the demo's item table shows a spread.
                    self.knowledge[item] = (0.25 + 0.30 * j / max(len(items) - 1, 1), change)
            elif outcome.kind == "scale":
                for item in outcome.items or []:
                    self.likert[item] = (key, SCALE_MU, change)
            elif outcome.kind == "proportion" and outcome.item is not None:
                self.values[outcome.item] = (str(outcome.value), PROPORTION_P, change)

    def groups(self) -> list[tuple[str, float, float]]:
        """The modifier's groups with their shares and factors; one group of factor 1 without it."""
        if self.spec.modifier is None:
            return [("", 1.0, 1.0)]
        return self.spec.modifier.distribution(self.q)

    def true_effect(self, outcome: str, factor: float | None = None) -> float:
        """The outcome's true effect in the campaign arm: in a group of ``factor``, or averaged over
        the population (the mean of the factors is 1, but a scale's expectation is not linear)."""
        kind, change = self.kinds[outcome]
        factors = [(1.0, factor)] if factor is not None else [(s, f) for _, s, f in self.groups()]
        if kind == "scale":
            return sum(
                share * (_likert_mean(SCALE_MU + change * f) - _likert_mean(SCALE_MU))
                for share, f in factors
            )
        return sum(share * change * f for share, f in factors)


@dataclass(frozen=True)
class TrueEffect:
    """The model's true effect on one outcome and the report's estimate of it.

    ``row`` is what the estimate is: ``""`` for the outcome's effect, ``"adjusted"`` for the effect
    adjusted for who answered, or the group (``"age 18–21"``) of a subgroup effect. ``judged`` is
    False for an effect not adjusted for who answered beside an adjusted one (independent samples
    with covariates): the crude change, and a group's change, also hold the change in who answered,
    so they are not expected to cover the campaign's effect.
    """

    outcome: str
    kind: str
    true: float
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    method: str
    row: str = ""
    judged: bool = True

    @property
    def covered(self) -> bool:
        return (
            self.ci_low is not None
            and self.ci_high is not None
            and self.ci_low <= self.true <= self.ci_high
        )


@dataclass
class DemoResult:
    """What :func:`run_demo` did: campaigns made (empty when they existed), the account, the reports."""

    created: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    responses: int = 0
    password: str | None = None
    reports: dict[str, Report] = field(default_factory=dict)
    effects: dict[str, list[TrueEffect]] = field(default_factory=dict)


def true_effects(spec: CampaignSpec, q: Questionnaire) -> dict[str, float]:
    """The model's true effect per outcome: expected after minus expected before, in score units.

    For the comparison design it is the difference in differences, and the comparison arm does not
    change, so it is the campaign arm's change too. Who answered plays no part: it is the campaign's
    effect among people of the same description.
    """
    model = _Model(q, spec)
    return {key: model.true_effect(key) for key in q.outcomes}


# -- one respondent ------------------------------------------------------------------------------------


@dataclass
class _Person:
    traits: dict[str, float]
    code: str | None
    attributes: dict[str, str] = field(default_factory=dict)
    factor: float = 1.0
    shift: float = 0.0


def _answer(
    rng: random.Random, q: Questionnaire, item: Item, model: _Model, person: _Person, after: bool
) -> list[str]:
    """The form values a browser posts for one visible item."""
    kind = item.type
    if kind == "consent":
        return ["no" if rng.random() < DECLINE_SHARE else "yes"]
    if kind == "panel_code":
        return [person.code or f"X{rng.randrange(10**8):08d}"]
    if item.key in person.attributes:
        return [person.attributes[item.key]]
    if item.key in model.knowledge:
        base, change = model.knowledge[item.key]
        right = rng.random() < base + person.shift + (change * person.factor if after else 0.0)
        choices = [c.value for c in q.choices_for(item)]
        correct = item.correct if isinstance(item.correct, list) else [item.correct]
        if kind == "multi":
            # All right, or every choice classified wrong: the item scores 1 or 0 whether scoring is
            # partial or all-or-nothing, which keeps the true score effect exact.
            return [c for c in choices if (c in correct) == right]
        wrong = [c for c in choices if c not in correct]
        return [str(correct[0])] if right else [rng.choice(wrong)]
    if item.key in model.likert:
        scale, mu, change = model.likert[item.key]
        noise = rng.gauss(0.0, math.sqrt(1.0 - TRAIT_SHARE))
        z = person.traits[scale] + mu + (change * person.factor if after else 0.0) + noise
        value = 1 + sum(z > c for c in CUTS)
        # The model is of the desirable direction; a reverse-coded statement is answered the other way.
        points = q.scale_for(item).points
        return [str(points + 1 - value if item.reverse else value)]
    if item.key in model.values:
        value, p, change = model.values[item.key]
        if rng.random() < p + (change * person.factor if after else 0.0):
            return [value]
        return [rng.choice([c.value for c in q.choices_for(item) if c.value != value])]
    if kind == "choice":
        return [rng.choice([c.value for c in q.choices_for(item)])]
    if kind == "multi":
        return [c.value for c in q.choices_for(item) if rng.random() < 0.3]
    if kind == "likert":
        return [str(rng.randint(1, q.scale_for(item).points))]
    if kind in ("integer", "decimal"):
        low = int(item.min) if item.min is not None else 0
        high = int(item.max) if item.max is not None else max(low, 0) + 50
        return [str(rng.randint(low, high))]
    if item.required:
        return ["demo"] if kind == "text" else []
    return []  # an optional text or date: left empty, as most people do


async def _respond(
    conn: asyncpg.Connection,
    state: CollectState,
    rng: random.Random,
    wave: Wave,
    plan: Plan,
    model: _Model,
    person: _Person,
    after: bool,
    stop_after: int | None = None,
) -> tuple[uuid.UUID, float]:
    """Fill in one response page by page, as a browser posts it (only ``stop_after`` pages of it, when
    given); its id and the share of its pages saved."""
    q = model.q
    response_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    language = "en" if rng.random() < 0.2 else q.default_language
    page: Page | None = plan.first_page()
    cookie: uuid.UUID | None = None
    answers: dict[str, object] = {}
    for saved in range(len(plan.pages) + 1):
        if page is None:
            break
        if saved == stop_after:
            return response_id, saved / len(plan.pages)
        fields = {}
        for item in plan.visible_items(page, answers):
            if item.answerable:
                values = _answer(rng, q, item, model, person, after)
                if values:
                    fields[item.key] = values
        outcome = await save_page(
            conn,
            state,
            wave=wave,
            form=PostedForm(response_id=response_id, language=language, fields=fields),
            cookie_id=cookie,
            number=page.number,
        )
        if isinstance(outcome, Finished):
            return response_id, 1.0
        if not isinstance(outcome, GoTo):
            raise SurveyError(f"demo answers to {wave.key}, page {page.key}, refused: {outcome!r}")
        cookie, answers, page = outcome.response.id, dict(outcome.response.answers), outcome.page
    raise SurveyError(f"a demo response to {wave.key} did not finish")


# -- the campaigns -------------------------------------------------------------------------------------


async def _publish_shipped(conn: asyncpg.Connection, forms: Path) -> list[str]:
    from survey.questionnaire.load import load_file

    lines = []
    for path in sorted(forms.glob("*.yaml")):
        result = await questionnaires_db.publish(conn, load_file(str(path)))
        if result.created:
            lines.append(f"{result.key} v{result.version}")
    return lines


async def _open_wave(conn: asyncpg.Connection, campaign: str, phase: str, arm: str) -> Wave:
    wave = await campaigns_db.add_wave(conn, campaign, phase=phase, arm=arm)
    return await campaigns_db.set_wave_status(conn, wave.key, "open")


def _people(
    rng: random.Random, n: int, model: _Model, prefix: str, aimags: Sequence[str], after: bool
) -> list[_Person]:
    """``n`` people: a latent trait per scale, a code, and their characteristics, drawn from the
    shares of the wave (``after`` for the after wave of different people)."""
    scales = {scale for scale, _, _ in model.likert.values()}
    spec, q = model.spec, model.q
    people = []
    for i in range(n):
        attributes: dict[str, str] = {}
        shift = 0.0
        for characteristic in spec.characteristics:
            shares = (characteristic.after if after else {}) or characteristic.before
            choices = [c.value for c in q.choices_for(q.item(characteristic.item))]
            weights = [shares.get(c, 0.0) for c in choices] if shares else None
            value = rng.choices(choices, weights=weights)[0]
            attributes[characteristic.item] = value
            shift += characteristic.knowledge.get(value, 0.0)
        factor = 1.0
        if spec.modifier is not None:
            item = q.item(spec.modifier.item)
            if spec.modifier.cut is None:
                value = rng.choice([c.value for c in q.choices_for(item)])
            else:
                value = str(rng.randint(int(str(item.min)), int(str(item.max))))
            attributes[item.key] = value
            factor = spec.modifier.factor(value)
        if aimags:
            attributes["aimag"] = rng.choice(aimags)
        people.append(
            _Person(
                traits={s: rng.gauss(0.0, math.sqrt(TRAIT_SHARE)) for s in sorted(scales)},
                code=f"{prefix}{i:05d}",
                attributes=attributes,
                factor=factor,
                shift=shift,
            )
        )
    return people


def _timeline(
    timing: random.Random, phase: str, done: Sequence[float], now: datetime
) -> tuple[list[datetime], list[datetime]]:
    """When each response of a wave started and was last saved: on the wave's days, in the day's
    waking hours, taking a log-normal time to finish (``done``: the share of the form each one saved)."""
    first, days = WAVE_DAYS[phase]
    starts, saves = [], []
    for share in done:
        day = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=first)
        start = day + timedelta(days=timing.randrange(days), hours=timing.uniform(8, 22))
        minutes = min(40.0, max(2.0, timing.lognormvariate(math.log(MEDIAN_MINUTES), LOG_SPREAD)))
        starts.append(start)
        saves.append(start + timedelta(minutes=minutes * max(share, 0.05)))
    return starts, saves


async def _write_campaign(
    conn: asyncpg.Connection,
    state: CollectState,
    rng: random.Random,
    timing: random.Random,
    spec: CampaignSpec,
    n: int,
    tick: Callable[[], None],
) -> int:
    version = await questionnaires_db.get_version(conn, spec.questionnaire)
    q = version.definition
    model = _Model(q, spec)
    await campaigns_db.create_campaign(
        conn,
        spec.key,
        questionnaire=spec.questionnaire,
        design=spec.design,
        cluster_item=spec.cluster,
    )
    aimag_item = next((i for i in q.items() if i.key == "aimag"), None)
    aimags = [c.value for c in q.choices_for(aimag_item)] if aimag_item else []
    now = datetime.now(UTC)
    arms = ["campaign", "comparison"] if spec.design == "comparison" else ["campaign"]
    written = 0
    for arm in arms:
        pre = await _open_wave(conn, spec.key, "pre", arm)
        post = await _open_wave(conn, spec.key, "post", arm)
        plan = (await state.pinned(conn, pre.version_id)).plan
        people = _people(rng, n, model, f"D{arm[:2].upper()}", aimags, after=False)
        written_to: dict[str, list[tuple[uuid.UUID, float]]] = {"pre": [], "post": []}
        for person in people:
            written_to["pre"].append(
                await _respond(conn, state, rng, pre, plan, model, person, after=False)
            )
            written += 1
            tick()
        if spec.design == "panel":
            # The same people answer again, with their same code; some are lost on the way.
            stayed = [p for p in people if rng.random() >= PANEL_ATTRITION]
        else:
            stayed = _people(rng, n, model, f"E{arm[:2].upper()}", aimags, after=True)
        for person in stayed:
            written_to["post"].append(
                await _respond(conn, state, rng, post, plan, model, person, after=arm == "campaign")
            )
            written += 1
            tick()
        for phase, wave in (("pre", pre), ("post", post)):
            stopped = _people(timing, round(n * STOPPED_SHARE), model, "S", aimags, after=False)
            for person in stopped:
                where = timing.randrange(1, len(plan.pages))
                written_to[phase].append(
                    await _respond(
                        conn, state, timing, wave, plan, model, person, False, stop_after=where
                    )
                )
            starts, saves = _timeline(timing, phase, [d for _, d in written_to[phase]], now)
            await responses_db.set_response_times(
                conn, [i for i, _ in written_to[phase]], starts, saves
            )
            await campaigns_db.set_wave_status(conn, wave.key, "closed")
    return written


def _true_effect(
    outcome: OutcomeReport,
    effect: EffectSummary | None,
    true: float,
    *,
    row: str = "",
    judged: bool = True,
) -> TrueEffect:
    return TrueEffect(
        outcome=outcome.key,
        kind=outcome.kind,
        true=true,
        estimate=effect.estimate if effect else None,
        ci_low=effect.ci_low if effect else None,
        ci_high=effect.ci_high if effect else None,
        method=effect.name if effect else "",
        row=row,
        judged=judged,
    )


def _estimates(spec: CampaignSpec, q: Questionnaire, report: Report) -> list[TrueEffect]:
    """Each outcome's true effect beside its estimate; the adjusted estimate where there is one; and
    for the main outcome, each group of the modifier's item beside its own true effect."""
    model = _Model(q, spec)
    factors = {name: factor for name, _, factor in model.groups()}
    found = []
    for outcome in report.outcomes:
        if outcome.key not in q.outcomes:
            continue
        truth = model.true_effect(outcome.key)
        first = outcome.effects[0] if outcome.effects else None
        adjusted = outcome.adjusted

        found.append(_true_effect(outcome, first, truth, judged=adjusted is None))
        if adjusted is not None:
            found.append(_true_effect(outcome, adjusted, truth, row="adjusted"))
        if outcome.key != spec.main or spec.modifier is None:
            continue
        for sub in outcome.subgroups:
            if sub.group == spec.modifier.item and sub.value in factors:
                true = model.true_effect(outcome.key, factors[sub.value])
                found.append(
                    _true_effect(
                        outcome,
                        sub.effect,
                        true,
                        row=f"{sub.group} {sub.value}",
                        judged=adjusted is None,
                    )
                )
    return found


def expected_responses(n: int) -> int:
    """About how many responses the demo writes for ``n`` respondents per wave (for progress)."""
    return round(n * (2 + 1 + (1 - PANEL_ATTRITION) + 4))


async def run_demo(
    conn: asyncpg.Connection,
    *,
    forms: Path,
    seed: int = 1,
    respondents: int = 300,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Publish the shipped forms, create the demo campaigns with their responses, and report them.

    Everything is written in one transaction: either the three campaigns exist with all their
    responses, or nothing was stored. When any demo campaign exists already nothing is written and
    :attr:`DemoResult.created` is empty (the reports are still computed).
    """
    from survey.console.auth import hash_password
    from survey.reports.data import campaign_report

    if respondents < 10:
        raise SurveyError("--respondents must be at least 10")
    result = DemoResult()
    rng = random.Random(seed)
    # The stream of whatever does not change what is counted (see the module's docstring).
    timing = random.Random(f"timeline-{seed}")
    existing = {c.key for c in await campaigns_db.list_campaigns(conn)}
    # The rate limit guards a public link against floods; the demo is a local, trusted writer.
    state = CollectState(StartLimiter(limit=10**9))
    total, done = expected_responses(respondents), 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 25 == 0):
            progress(done, max(total, done))

    async with conn.transaction():
        result.published = await _publish_shipped(conn, forms)
        if not existing & {spec.key for spec in DEMO_CAMPAIGNS}:
            for spec in DEMO_CAMPAIGNS:
                result.responses += await _write_campaign(
                    conn, state, rng, timing, spec, respondents, tick
                )
                result.created.append(spec.key)
            if progress is not None:
                progress(done, done)
        if await accounts_db.find_account(conn, DEMO_EMAIL) is None:
            result.password = secrets.token_urlsafe(12)
            await accounts_db.create_account(
                conn, DEMO_EMAIL, role="admin", password_hash=hash_password(result.password)
            )
    for spec in DEMO_CAMPAIGNS:
        if spec.key not in existing and spec.key not in result.created:
            continue
        report = await campaign_report(conn, spec.key)
        q = (await questionnaires_db.get_version(conn, spec.questionnaire)).definition
        result.reports[spec.key] = report
        result.effects[spec.key] = _estimates(spec, q, report)
    return result


def format_demo(result: DemoResult, base_url: str) -> list[str]:
    """The lines ``survey demo`` prints: per campaign, true effects beside the estimates, and the URL."""
    lines: list[str] = []
    if not result.created:
        lines.append(
            "demo campaigns already exist; nothing was added "
            "(delete the data directory, ./.survey-data, to start over)"
        )
    else:
        lines.append(f"created {', '.join(result.created)} with {result.responses:,} responses")
    base = base_url.rstrip("/")
    for spec in DEMO_CAMPAIGNS:
        report = result.reports.get(spec.key)
        if report is None:
            continue
        sizes = ", ".join(f"{w.key} {w.n_complete}" for w in report.waves)
        lines += ["", f"{spec.key} ({spec.design}): complete responses {sizes}"]
        lines.append(f"  {'outcome':26} {'true effect':>11} {'estimate':>9}  95% interval   effect")
        for e in result.effects.get(spec.key, []):
            name = (
                e.outcome
                if not e.row
                else "  " + ("adjusted for who answered" if e.row == "adjusted" else e.row)
            )
            if e.estimate is None or e.ci_low is None or e.ci_high is None:
                lines.append(f"  {name:26} {e.true:+11.3f} {'—':>9}")
                continue
            if not e.judged:
                remark = "  (not adjusted: also the change in who answered)"
            elif not e.covered:
                remark = "  (interval misses the true effect)"
            else:
                remark = ""
            lines.append(
                f"  {name:26} {e.true:+11.3f} {e.estimate:+9.3f}  "
                f"{e.ci_low:+.3f} to {e.ci_high:+.3f}  {e.method if not e.row else ''}".rstrip()
                + remark
            )
        lines.append(f"  report: {base}/campaigns/{spec.key}/report")
    lines += [
        "",
        "Knowledge scores are shares of items right (0 to 1); scales are means of 1 to 5 answers;",
        "proportions are shares. True effects come from the generating model (survey/demo.py): in",
        "demo-trafficking the after wave holds more of the better educated, so the crude change",
        "overstates knowledge's and the estimate adjusted for who answered is the one to compare (the",
        "groups' changes are not adjusted); the campaign worked more for some groups (age, sector).",
    ]
    effects = [e for found in result.effects.values() for e in found if e.judged]
    if effects:
        missed = sum(not e.covered for e in effects)
        lines.append(
            f"{missed} of {len(effects)} intervals miss their true effect; a 95% interval is expected to "
            f"miss about 1 time in 20 (try another --seed, or more --respondents for narrower intervals)."
        )
    if result.password is not None:
        lines += [
            "",
            f"sign in at {base}/sign-in as {DEMO_EMAIL} (admin) with the password "
            f"{result.password}",
            "(shown only this once; survey users set-password demo@example.org changes it)",
        ]
    return lines
