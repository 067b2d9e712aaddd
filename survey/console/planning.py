"""The planning page, ``GET /console/plan``: how many respondents per wave a campaign needs, or the smallest
effect the respondents it will have can detect, for each design and outcome.

The numbers come from :mod:`survey.analysis.power`, called exactly as ``survey plan`` calls it (same
parameters, same rounding of the minimum detectable effect up to three decimals), so that the page and the
command line never disagree (tests/integration/test_console_plan.py runs both). The form is a GET form: it
works without JavaScript, a plan is shared by its link, and htmx swaps the form and its answer in place.

Every value is read here, before power.py sees it, so that each mistake is told beside its field in the
page's language and with what was typed kept; the few that only the power functions can judge (a
correlation that does not fit two proportions, an effect too small for any survey) are mapped to their
field by the parameter name their message starts with. No team's data is read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlencode

from litestar import get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from survey.analysis import power as pw
from survey.console import web as console_web
from survey.console.auth import CAMPAIGN_READERS
from survey.console.web import Choice
from survey.errors import InvalidStatistics
from survey.web.i18n import LANGUAGES

__all__ = [
    "FIELDS",
    "ROUTES",
    "Plan",
    "PlanForm",
    "PlanPage",
    "make_plan",
    "parse_number",
    "read_plan_form",
]

#: Every query parameter of the form, with the value a first visit starts from (a common plan: Cohen's
#: "small" effect of 0.3 with the usual power and alpha).
DEFAULTS: Final[dict[str, str]] = {
    "question": "n",
    "design": "independent",
    "outcome": "smd",
    "effect": "0.3",
    "p_pre": "0.4",
    "p_post": "0.5",
    "n": "200",
    "power": "0.8",
    "alpha": "0.05",
    "correlation": "",
    "icc": "",
    "cluster_size": "",
}
FIELDS: Final = tuple(DEFAULTS)
#: Longest value a field keeps: a number needs far fewer characters; a longer one is refused, and shown
#: cut to this length so that a huge value does not make a huge page.
VALUE_LENGTH: Final = 40
#: Largest sample the form takes: power.py searches up to 10⁹ respondents; no survey has that many.
MAX_N: Final = 10**9
QUESTIONS: Final = ("n", "detect")
OUTCOMES: Final = ("smd", "proportion")


@dataclass(frozen=True, slots=True)
class PlanForm:
    """What was typed (each value as text, kept to refill the form) and the numbers read from it."""

    values: dict[str, str]
    numbers: dict[str, float | None]
    errors: dict[str, str] = field(default_factory=dict)
    """Field → catalogue key of the message shown beside it."""
    params: dict[str, dict[str, object]] = field(default_factory=dict)
    """Field → the placeholders of its message."""

    @property
    def clustered(self) -> bool:
        return self.numbers.get("cluster_size") is not None

    def fail(self, name: str, key: str, **params: object) -> None:
        if name not in self.errors:
            self.errors[name] = key
            self.params[name] = params


@dataclass(frozen=True, slots=True)
class Plan:
    """The answer, with the numbers its sentences need (all from survey.analysis.power)."""

    question: str
    design: str
    outcome: str
    n: int
    effect: float | None
    """The minimum detectable effect (rounded up to 3 decimals as ``survey plan`` prints it), or the
    effect asked about."""
    p_pre: float | None
    p_post: float | None
    power: float
    alpha: float
    df: float | None
    clusters: float | None
    design_effect: float
    correlation: float | None
    icc: float | None
    cluster_size: float | None


def parse_number(text: str) -> float | None:
    """A number as people type it: spaces ignored, a decimal comma taken for a point; None if not one."""
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


#: Each numeric field: the check of its range, as (test, catalogue key of the message).
_RANGES: Final[dict[str, tuple[Callable[[float], bool], str]]] = {
    "effect": (lambda v: v != 0 and abs(v) <= 10, "plan.error.effect"),
    "p_pre": (lambda v: 0 < v < 1, "plan.error.proportion"),
    "p_post": (lambda v: 0 < v < 1, "plan.error.proportion"),
    "n": (lambda v: v == int(v) and 2 <= v <= MAX_N, "plan.error.n"),
    "power": (lambda v: 0 < v < 1, "plan.error.power"),
    "alpha": (lambda v: 0 < v < 1, "plan.error.alpha"),
    "correlation": (lambda v: -1 < v < 1, "plan.error.correlation"),
    "icc": (lambda v: 0 <= v <= 1, "plan.error.icc"),
    "cluster_size": (lambda v: 1 < v <= MAX_N, "plan.error.cluster_size"),
}


def _needed(question: str, design: str, outcome: str) -> set[str]:
    """The fields this plan reads (the others are kept in the form but not checked)."""
    needed = {"power", "alpha", "icc", "cluster_size"}
    if outcome == "smd":
        needed |= {"n"} if question == "detect" else {"effect"}
    else:
        needed |= {"p_pre", "n"} if question == "detect" else {"p_pre", "p_post"}
    if design == "panel":
        needed.add("correlation")
    return needed


#: Fields that may stay empty: the clusters (a simple random sample). A panel's correlation may stay
#: empty for a score too (d is then d_z), but not for a share: read_plan_form says so.
_OPTIONAL: Final = {"icc", "cluster_size"}


def read_plan_form(query: Mapping[str, str]) -> PlanForm:
    """Read the form's query parameters; a first visit (no parameter) starts from :data:`DEFAULTS`."""
    given = {name: query.get(name) for name in FIELDS}
    first_visit = all(value is None for value in given.values())
    values = {
        name: (DEFAULTS[name] if first_visit else (value or "")).strip()[:VALUE_LENGTH]
        for name, value in given.items()
    }
    form = PlanForm(values=values, numbers={})
    for name, allowed in (("question", QUESTIONS), ("design", pw.DESIGNS), ("outcome", OUTCOMES)):
        if values[name] not in allowed:
            form.fail(name, f"plan.error.{name}")
            values[name] = DEFAULTS[name]
    question, design, outcome = values["question"], values["design"], values["outcome"]
    needed = _needed(question, design, outcome)
    for name, (fits, message) in _RANGES.items():
        text = (given[name] or "").strip() if not first_visit else values[name]
        if name not in needed:
            form.numbers[name] = None
            continue
        if not text:
            form.numbers[name] = None
            if name == "correlation" and outcome == "smd":
                continue  # a panel's d is then d_z
            if name == "correlation":
                form.fail(name, "plan.error.correlation_needed")
            elif name not in _OPTIONAL:
                form.fail(name, "plan.error.empty")
            continue
        if len(text) > VALUE_LENGTH:
            form.fail(name, "plan.error.too_long", length=VALUE_LENGTH)
            form.numbers[name] = None
            continue
        value = parse_number(text)
        if value is None:
            form.fail(name, "plan.error.not_number")
        elif not fits(value):
            form.fail(name, message)
            value = None
        form.numbers[name] = value
    _check_together(form)
    return form


def _check_together(form: PlanForm) -> None:
    """The rules between fields: clusters need both numbers; power above alpha; two different
    proportions."""
    numbers = form.numbers
    if (numbers["icc"] is None) != (numbers["cluster_size"] is None):
        missing = "icc" if numbers["icc"] is None else "cluster_size"
        if missing not in form.errors and form.values[missing] == "":
            form.fail(missing, "plan.error.cluster_pair")
    power, alpha = numbers["power"], numbers["alpha"]
    if power is not None and alpha is not None and power <= alpha:
        form.fail("power", "plan.error.power_alpha")
    p_pre, p_post = numbers["p_pre"], numbers["p_post"]
    if p_pre is not None and p_post is not None and p_pre == p_post:
        form.fail("p_post", "plan.error.same_proportions")


#: Where a message of survey.analysis.power belongs on the form, by the parameter it starts with.
_POWER_FIELDS: Final = {
    "d": "effect",
    "p_pre": "p_pre",
    "p_pre, p_post": "p_post",
    "correlation": "correlation",
    "discordant": "correlation",
    "n": "n",
    "icc": "icc",
    "cluster_size": "cluster_size",
}


def _power_error(form: PlanForm, exc: InvalidStatistics) -> None:
    """Put a refusal of survey.analysis.power beside its field, in the page's words."""
    name = _POWER_FIELDS.get(exc.message.partition(": ")[0])
    text = exc.message
    if "more than" in text and "would be needed" in text:
        form.fail("p_post" if name == "p_post" else "effect", "plan.error.too_many")
    elif name == "correlation":
        form.fail("correlation", "plan.error.correlation_fit")
    elif name == "n" and "fewer than 2 clusters" in text:
        form.fail("n", "plan.error.n_clusters")
    elif name == "n":
        form.fail("n", "plan.error.n_too_small")
    else:
        form.fail(name or "form", "plan.error.no_plan")


def make_plan(form: PlanForm) -> Plan | None:
    """The plan the form asks for, as ``survey plan`` computes it; None (with the form's errors set)
    when it cannot be made."""
    if form.errors:
        return None
    v, x = form.values, form.numbers
    question, design, outcome = v["question"], v["design"], v["outcome"]
    cluster_size = x["cluster_size"] if form.clustered else None
    icc = x["icc"] if form.clustered else None
    common = {
        "design": design,
        "alpha": x["alpha"],
        "correlation": x["correlation"],
        "icc": 0.0 if icc is None else icc,
        "cluster_size": 1.0 if cluster_size is None else cluster_size,
    }
    try:
        if question == "detect":
            n = int(x["n"])  # type: ignore[arg-type]
            found = pw.minimum_detectable_effect(
                n, kind=outcome, power=x["power"], p_pre=x["p_pre"], **common
            )
            # Rounded up as survey plan prints it: the effect shown is one the plan can detect.
            effect: float | None = math.ceil(round(found * 1000, 6)) / 1000
            p_post = None if outcome == "smd" else x["p_pre"] + effect  # type: ignore[operator]
            achieved = x["power"]
            clusters = None if cluster_size is None else n / cluster_size
        else:
            if outcome == "smd":
                sample = pw.n_for_smd(x["effect"], power=x["power"], **common)
            else:
                sample = pw.n_for_proportions(x["p_pre"], x["p_post"], power=x["power"], **common)
            n, achieved, clusters = sample.n, sample.power, sample.clusters
            effect, p_post = x["effect"], x["p_post"]
        df = pw.degrees_of_freedom(
            n, design=design, kind=outcome, cluster_size=common["cluster_size"]
        )
    except InvalidStatistics as exc:
        _power_error(form, exc)
        return None
    return Plan(
        question=question,
        design=design,
        outcome=outcome,
        n=n,
        effect=effect,
        p_pre=x["p_pre"],
        p_post=p_post,
        power=achieved,  # type: ignore[arg-type]
        alpha=x["alpha"],  # type: ignore[arg-type]
        df=df,
        clusters=clusters,
        design_effect=pw.design_effect(common["icc"], common["cluster_size"]),
        correlation=x["correlation"],
        icc=icc,
        cluster_size=cluster_size,
    )


# -- the page ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """A number field of the form: its value as typed, its label and hint, and its message if wrong."""

    name: str
    label: str
    hint: str
    value: str
    error: str | None
    shown: bool
    """Whether the field matters for the plan asked (the others are folded away, still sent)."""


@dataclass(frozen=True, slots=True)
class PlanPage:
    questions: tuple[Choice, ...]
    designs: tuple[tuple[Choice, str], ...]
    outcomes: tuple[Choice, ...]
    fields: tuple[Field, ...]
    choice_errors: dict[str, str]
    problem: str | None
    """A message for the whole form (errors listed at the top too, so a screen reader hears them)."""
    headline: str | None
    answer: str | None
    details: tuple[str, ...]
    assumptions: tuple[str, ...]
    link: str
    """The plan's own address, to share."""
    lang: str | None = None
    """The language asked for in the address (``?lang=``), carried by the form so that its answer keeps it."""

    @property
    def methods_link(self) -> str:
        """The page explaining the plan's assumptions and the report's methods, in the same language."""
        return "/console/help/methods" + (f"?{urlencode({'lang': self.lang})}" if self.lang else "")


def _fmt(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}g}"


def _percent(p: float) -> str:
    return f"{100 * p:.1f} %".replace(".0 %", " %")


def _sentences(t: Callable[..., str], plan: Plan) -> tuple[str, str, list[str], list[str]]:
    """The headline, the answer, the details and the assumptions of a plan, in words."""
    design, smd = plan.design, plan.outcome == "smd"
    per_group = ".comparison" if design == "comparison" else ""
    if plan.question == "n":
        headline = t(f"plan.result.n{per_group}", n=f"{plan.n:,}")
    elif smd:
        headline = t("plan.result.detect_smd", effect=f"{plan.effect:.3f}")
    else:
        headline = t(
            "plan.result.detect_proportion",
            points=f"{100 * plan.effect:.1f}",  # type: ignore[operator]
            p_pre=_percent(plan.p_pre),  # type: ignore[arg-type]
            p_post=_percent(plan.p_post),  # type: ignore[arg-type]
        )
    answer = t(
        f"plan.total.{design}",
        n=f"{plan.n:,}",
        all=f"{(4 if design == 'comparison' else 2) * plan.n:,}",
    )
    details = []
    if plan.cluster_size is not None:
        details.append(
            t(
                f"plan.detail.clusters{per_group}",
                clusters=_fmt(plan.clusters or 0, 4),
                size=_fmt(plan.cluster_size),
                icc=_fmt(plan.icc or 0),
                deff=_fmt(plan.design_effect),
            )
        )
    if plan.question == "n":
        details.append(t("plan.detail.power", power=f"{plan.power:.3f}"))
    test = t(f"plan.test.{plan.outcome}.{design}")
    if plan.df is None:
        details.append(t("plan.detail.test_z", test=test, alpha=_fmt(plan.alpha)))
    else:
        details.append(
            t("plan.detail.test", test=test, alpha=_fmt(plan.alpha), df=f"{plan.df:,.4g}")
        )
    assumptions = [t(f"plan.assume.design.{design}")]
    if smd:
        if design == "panel" and plan.correlation is None:
            assumptions.append(t("plan.assume.smd.panel_dz"))
        elif design == "panel":
            assumptions.append(t("plan.assume.smd.panel_r", r=_fmt(plan.correlation or 0)))
        else:
            assumptions.append(t(f"plan.assume.smd.{design}"))
    else:
        assumptions.append(t(f"plan.assume.proportion.{design}", r=_fmt(plan.correlation or 0)))
    if plan.cluster_size is not None:
        assumptions.append(t("plan.assume.clusters"))
    if plan.question == "n" and design == "panel":
        assumptions.append(t("plan.assume.panel_attrition"))
    assumptions.append(t("plan.assume.complete"))
    return headline, answer, details, assumptions


def plan_page(
    t: Callable[..., str], form: PlanForm, plan: Plan | None, lang: str | None = None
) -> PlanPage:
    """The page's context: the form refilled with what was typed, each message beside its field."""
    v = form.values
    needed = _needed(v["question"], v["design"], v["outcome"])

    def message(name: str) -> str | None:
        key = form.errors.get(name)
        return None if key is None else t(key, **form.params.get(name, {}))

    fields = tuple(
        Field(
            name=name,
            label=t(f"plan.field.{name}"),
            hint=t(f"plan.hint.{name}"),
            value=v[name],
            error=message(name),
            shown=name in needed,
        )
        for name in FIELDS
        if name not in ("question", "design", "outcome")
    )
    headline = answer = None
    details: list[str] = []
    assumptions: list[str] = []
    if plan is not None:
        headline, answer, details, assumptions = _sentences(t, plan)
    problem = None
    if form.errors:
        problem = t("plan.error.summary", count=len(form.errors))
        if "form" in form.errors:
            problem = message("form")
    return PlanPage(
        questions=tuple(Choice(q, t(f"plan.question.{q}"), q == v["question"]) for q in QUESTIONS),
        designs=tuple(
            (Choice(d, t(f"design.{d}"), d == v["design"]), t(f"design.{d}.hint"))
            for d in pw.DESIGNS
        ),
        outcomes=tuple(Choice(o, t(f"plan.outcome.{o}"), o == v["outcome"]) for o in OUTCOMES),
        fields=fields,
        choice_errors={
            name: message(name) or ""
            for name in ("question", "design", "outcome")
            if name in form.errors
        },
        problem=problem,
        headline=headline,
        answer=answer,
        details=tuple(details),
        assumptions=tuple(assumptions),
        link="/console/plan?" + urlencode(v),
        lang=lang if lang in LANGUAGES else None,
    )


@get("/console/plan", opt={"roles": CAMPAIGN_READERS})
async def plan_campaign(request: HTMXRequest) -> Template:
    """Plan a campaign: respondents per wave, or the smallest detectable effect (no team data read)."""
    form = read_plan_form(request.query_params)
    plan = make_plan(form)
    context = plan_page(
        console_web.translator(request), form, plan, request.query_params.get("lang")
    )
    if request.htmx:
        return console_web.fragment(request, "_plan.html", context)
    return console_web.page(request, "plan.html", context, section="plan")


ROUTES = [plan_campaign]
