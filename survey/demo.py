"""``survey demo``: three campaigns on the shipped questionnaires, answered by synthetic respondents.

The respondents follow a simple model whose true effects are known exactly, so the report's estimates
can be checked against them:

- a knowledge item is answered right with probability ``p_pre`` before and ``p_post`` after (a wrong
  answer is another choice; for a multi-choice item, every choice classified wrongly), so the true
  effect on a knowledge score (the mean share right) is the mean of ``p_post - p_pre``;
- the Likert items of a scale come from a latent normal (a person's trait plus noise, variance 1) cut
  at -1.5, -0.5, 0.5 and 1.5, shifted after the campaign by a known amount, so the expected item value
  is ``1 + sum(Phi(mu - c))`` and the true effect on the scale score is exact too;
- a proportion's answer is its value with probability ``p_pre`` before and ``p_post`` after;
- the comparison arm of ``demo-corruption`` answers after as it did before (no shift).

Every response is written by :func:`survey.collect.service.save_page`, page by page, with the form
fields a browser would post, so the answers go through the same checks, ``show_if`` rules and panel
code hashing as a real submission.
"""

from __future__ import annotations

import math
import random
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from survey.analysis.results import Report
from survey.collect.answers import PostedForm
from survey.collect.ratelimit import StartLimiter
from survey.collect.service import CollectState, Finished, GoTo, save_page
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import questionnaires as questionnaires_db
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


@dataclass(frozen=True)
class CampaignSpec:
    """One demo campaign and the true change per outcome in its campaign arm.

    ``changes`` maps an outcome key to the gain in probability (``score``: of each item answered
    right; ``proportion``: of the value) or the shift of the latent normal (``scale``).
    """

    key: str
    questionnaire: str
    design: str
    changes: dict[str, float]
    cluster: str | None = None
    main: str = "knowledge"


DEMO_CAMPAIGNS: tuple[CampaignSpec, ...] = (
    CampaignSpec(
        "demo-trafficking",
        "trafficking-knowledge",
        "independent",
        {"knowledge": 0.20, "safe_migration": 0.40, "would_check": 0.15},
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
    ),
)


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _likert_mean(mu: float) -> float:
    """Expected answer (1..5) of a latent N(mu, 1) cut at :data:`CUTS`."""
    return 1.0 + sum(_phi(mu - c) for c in CUTS)


class _Model:
    """Answer probabilities of one questionnaire, derived from its declared outcomes."""

    def __init__(self, q: Questionnaire, changes: dict[str, float]) -> None:
        self.q = q
        self.knowledge: dict[str, tuple[float, float]] = {}
        self.likert: dict[str, tuple[str, float, float]] = {}  # item -> scale, mu pre, mu post
        self.values: dict[str, tuple[str, float, float]] = {}  # item -> value, p pre, p post
        self.expected: dict[str, tuple[float, float]] = {}
        for key, outcome in q.outcomes.items():
            change = changes.get(key, 0.0)
            if outcome.kind == "score":
                items = list(outcome.items or [])
                for j, item in enumerate(items):
                    # Items from hard to easy, so that the demo's item table shows a spread.
                    p = 0.30 + 0.35 * j / max(len(items) - 1, 1)
                    self.knowledge[item] = (p, min(p + change, 0.97))
                pairs = [self.knowledge[item] for item in items]
                self.expected[key] = tuple(sum(p[i] for p in pairs) / len(pairs) for i in (0, 1))  # type: ignore[assignment]
            elif outcome.kind == "scale":
                mu = -0.3
                for item in outcome.items or []:
                    self.likert[item] = (key, mu, mu + change)
                self.expected[key] = (_likert_mean(mu), _likert_mean(mu + change))
            elif outcome.kind == "proportion" and outcome.item is not None:
                p = 0.40
                self.values[outcome.item] = (str(outcome.value), p, p + change)
                self.expected[key] = (p, p + change)


@dataclass(frozen=True)
class TrueEffect:
    """The model's true effect on one outcome and the report's estimate of it."""

    outcome: str
    kind: str
    true: float
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    method: str

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
    change, so it is the campaign arm's change too.
    """
    model = _Model(q, spec.changes)
    return {key: post - pre for key, (pre, post) in model.expected.items()}


# -- one respondent ------------------------------------------------------------------------------------


@dataclass
class _Person:
    traits: dict[str, float]
    code: str | None
    aimag: str | None = None


def _answer(
    rng: random.Random, q: Questionnaire, item: Item, model: _Model, person: _Person, after: bool
) -> list[str]:
    """The form values a browser posts for one visible item."""
    kind = item.type
    if kind == "consent":
        return ["no" if rng.random() < DECLINE_SHARE else "yes"]
    if kind == "panel_code":
        return [person.code or f"X{rng.randrange(10**8):08d}"]
    if item.key in model.knowledge:
        p = model.knowledge[item.key][1 if after else 0]
        right = rng.random() < p
        choices = [c.value for c in q.choices_for(item)]
        correct = item.correct if isinstance(item.correct, list) else [item.correct]
        if kind == "multi":
            # All right, or every choice classified wrong: the item scores 1 or 0 whether scoring is
            # partial or all-or-nothing, which keeps the true score effect exact.
            return [c for c in choices if (c in correct) == right]
        wrong = [c for c in choices if c not in correct]
        return [str(correct[0])] if right else [rng.choice(wrong)]
    if item.key in model.likert:
        scale, mu_pre, mu_post = model.likert[item.key]
        noise = rng.gauss(0.0, math.sqrt(1.0 - TRAIT_SHARE))
        z = person.traits[scale] + (mu_post if after else mu_pre) + noise
        value = 1 + sum(z > c for c in CUTS)
        # The model is of the desirable direction; a reverse-coded statement is answered the other way.
        points = q.scale_for(item).points
        return [str(points + 1 - value if item.reverse else value)]
    if item.key in model.values:
        value, p_pre, p_post = model.values[item.key]
        if rng.random() < (p_post if after else p_pre):
            return [value]
        return [rng.choice([c.value for c in q.choices_for(item) if c.value != value])]
    if kind == "choice":
        choices = [c.value for c in q.choices_for(item)]
        if item.key == "aimag" and person.aimag is not None:
            return [person.aimag]
        return [rng.choice(choices)]
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
) -> None:
    """Fill in one response page by page, as a browser posts it."""
    q = model.q
    response_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    language = "en" if rng.random() < 0.2 else q.default_language
    page: Page | None = plan.first_page()
    cookie: uuid.UUID | None = None
    answers: dict[str, object] = {}
    for _ in range(len(plan.pages) + 1):
        if page is None:
            break
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
            return
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


def _people(rng: random.Random, n: int, model: _Model, prefix: str, aimags: Sequence[str]) -> list:
    scales = {scale for scale, _, _ in model.likert.values()}
    return [
        _Person(
            traits={s: rng.gauss(0.0, math.sqrt(TRAIT_SHARE)) for s in sorted(scales)},
            code=f"{prefix}{i:05d}",
            aimag=rng.choice(aimags) if aimags else None,
        )
        for i in range(n)
    ]


async def _write_campaign(
    conn: asyncpg.Connection,
    state: CollectState,
    rng: random.Random,
    spec: CampaignSpec,
    n: int,
    tick: Callable[[], None],
) -> int:
    version = await questionnaires_db.get_version(conn, spec.questionnaire)
    q = version.definition
    model = _Model(q, spec.changes)
    await campaigns_db.create_campaign(
        conn,
        spec.key,
        questionnaire=spec.questionnaire,
        design=spec.design,
        cluster_item=spec.cluster,
    )
    aimag_item = next((i for i in q.items() if i.key == "aimag"), None)
    aimags = [c.value for c in q.choices_for(aimag_item)] if aimag_item else []
    arms = ["campaign", "comparison"] if spec.design == "comparison" else ["campaign"]
    written = 0
    for arm in arms:
        pre = await _open_wave(conn, spec.key, "pre", arm)
        post = await _open_wave(conn, spec.key, "post", arm)
        plan = (await state.pinned(conn, pre.version_id)).plan
        people = _people(rng, n, model, f"D{arm[:2].upper()}", aimags)
        for person in people:
            await _respond(conn, state, rng, pre, plan, model, person, after=False)
            written += 1
            tick()
        if spec.design == "panel":
            # The same people answer again, with their same code; some are lost on the way.
            stayed = [p for p in people if rng.random() >= PANEL_ATTRITION]
        else:
            stayed = _people(rng, n, model, f"E{arm[:2].upper()}", aimags)
        for person in stayed:
            await _respond(conn, state, rng, post, plan, model, person, after=arm == "campaign")
            written += 1
            tick()
        for wave in (pre, post):
            await campaigns_db.set_wave_status(conn, wave.key, "closed")
    return written


def _estimates(spec: CampaignSpec, q: Questionnaire, report: Report) -> list[TrueEffect]:
    truth = true_effects(spec, q)
    found = []
    for outcome in report.outcomes:
        if outcome.key not in truth:
            continue
        first = outcome.effects[0] if outcome.effects else None
        found.append(
            TrueEffect(
                outcome=outcome.key,
                kind=outcome.kind,
                true=truth[outcome.key],
                estimate=first.estimate if first else None,
                ci_low=first.ci_low if first else None,
                ci_high=first.ci_high if first else None,
                method=first.name if first else "",
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
                result.responses += await _write_campaign(conn, state, rng, spec, respondents, tick)
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
        lines.append(f"  {'outcome':24} {'true effect':>11} {'estimate':>9}  95% interval   effect")
        for e in result.effects.get(spec.key, []):
            if e.estimate is None or e.ci_low is None or e.ci_high is None:
                lines.append(f"  {e.outcome:24} {e.true:+11.3f} {'—':>9}")
                continue
            lines.append(
                f"  {e.outcome:24} {e.true:+11.3f} {e.estimate:+9.3f}  "
                f"{e.ci_low:+.3f} to {e.ci_high:+.3f}  {e.method}"
                + ("" if e.covered else "  (interval misses the true effect)")
            )
        lines.append(f"  report: {base}/campaigns/{spec.key}/report")
    lines += [
        "",
        "Knowledge scores are shares of items right (0 to 1); scales are means of 1 to 5 answers;",
        "proportions are shares. True effects come from the generating model (survey/demo.py).",
    ]
    effects = [e for found in result.effects.values() for e in found]
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
