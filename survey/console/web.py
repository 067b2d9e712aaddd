"""What every console page shares: the frame around it (navigation, language switch, the account), the one
way a page is rendered, and reading a form.

A page's template gets three names: ``page``, the page's own typed context; ``frame``, this module's
:class:`Frame`; and ``t``, the console catalogue bound to the page's language (:mod:`survey.console.messages`).
The language is :func:`survey.web.i18n.request_language`'s: ``?lang=``, else the account's own choice,
else Mongolian.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlencode

from litestar import Request
from litestar.response import Template

from survey.console.messages import CATALOGUE, language_name
from survey.console.roles import CAMPAIGN_READERS, INSTALLATION_ADMINS
from survey.db.accounts import Principal
from survey.db.campaigns import Wave

if TYPE_CHECKING:
    from survey.console.service import Rejected
from survey.settings import Settings
from survey.web.i18n import LANGUAGES, request_language
from survey.web.inputs import form_fields
from survey.web.static import static_url

__all__ = [
    "HTMX_CONFIG",
    "Choice",
    "Frame",
    "LanguageChoice",
    "NavLink",
    "fragment",
    "language",
    "may",
    "page",
    "read_form",
    "refusal",
    "role_words",
    "settings",
    "team_name",
    "translator",
    "user",
    "wave_title",
]

#: htmx settings (read from a <meta> tag): no inline style (the Content-Security-Policy allows none), no
#: eval, and error answers (4xx) swapped in too, so that a refusal is shown where the action was.
HTMX_CONFIG: Final = (
    '{"includeIndicatorStyles":false,"allowEval":false,"responseHandling":['
    '{"code":"204","swap":false},{"code":"[234]..","swap":true},'
    '{"code":".*","swap":false,"error":true}]}'
)


@dataclass(frozen=True, slots=True)
class Choice:
    """An option of a select, a radio or a checkbox: the value sent, the words shown, whether chosen."""

    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True, slots=True)
class NavLink:
    href: str
    label: str
    current: bool


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    code: str
    name: str
    current: bool
    href: str
    """Where a visitor who is not signed in switches (the same page with ``?lang=``); signed-in accounts
    switch with a form that keeps the choice."""


@dataclass(frozen=True, slots=True)
class Frame:
    """The frame of every console page: who is signed in, where they may go, the language switch."""

    lang: str
    user: Principal | None
    role: str
    """The account's role in words: its role when it is in one team, how many teams otherwise."""
    links: tuple[NavLink, ...]
    languages: tuple[LanguageChoice, ...]
    here: str
    """This page's own address, where the language switch comes back to."""
    section: str
    """The area of the console the page belongs to (its navigation link is marked current)."""
    htmx: str | None
    htmx_config: str = HTMX_CONFIG


def settings(request: Request) -> Settings:
    return request.app.state.settings


def user(request: Request) -> Principal | None:
    """The signed-in account, on any route (None on a public one, where the guard looks for nobody)."""
    return request.scope.get("user")  # type: ignore[return-value]


def may(request: Request, roles: frozenset[str]) -> bool:
    """Whether the signed-in account holds one of ``roles`` in some team (what a page may offer; each
    action checks the team of what it touches)."""
    found = user(request)
    return found is not None and found.holds(roles)


def role_words(t: Callable[..., str], who: Principal | None) -> str:
    """How the frame names an account's standing: its role when it is in one team, the number of its
    teams when more, else that it administers the installation or is in no team."""
    if who is None:
        return ""
    if len(who.teams) == 1:
        return t(f"role.{who.teams[0].role}")
    if who.teams:
        return t("frame.teams", count=len(who.teams))
    return t("role.installation_admin" if who.installation_admin else "frame.no_team")


def team_name(t: Callable[..., str], key: str, name: str | None) -> str:
    """What people call a team: its name, else (the default team) its name in the page's language, else
    its key."""
    if name:
        return name
    return t("team.default_name") if key == "default" else key


def language(request: Request) -> str:
    return request_language(request)


#: The password fields of the console's forms, which may be as long as a password may be, longer
#: than the other fields: a too-long password is then refused by the password rule, with its message.
PASSWORD_FIELDS: Final = {name: 1024 for name in ("password", "again", "current")}


async def read_form(request: Request, **longer: int) -> dict[str, str]:
    """The text fields of a posted form, each within its length limit (``longer`` names the few fields
    allowed more, survey/web/inputs.py); files are read by the one route that takes them."""
    return await form_fields(request, **{**PASSWORD_FIELDS, **longer})


def _htmx_url() -> str | None:
    # htmx is vendored by the respondent pages; the console works without it.
    try:
        return static_url("js/htmx.min.js")
    except FileNotFoundError:
        return None


def _here(request: Request) -> str:
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + (f"?{urlencode(query)}" if query else "")


def _frame(request: Request, lang: str, section: str) -> Frame:
    t = CATALOGUE.bound(lang)
    found = user(request)
    sections: list[tuple[str, str, frozenset[str] | None]] = [
        ("campaigns", "/console/campaigns", None),
        ("questionnaires", "/console/questionnaires", CAMPAIGN_READERS),
        ("plan", "/console/plan", CAMPAIGN_READERS),
        ("teams", "/console/teams", None),
        ("users", "/console/users", INSTALLATION_ADMINS),
        ("audit", "/console/audit", INSTALLATION_ADMINS),
    ]
    here = _here(request)
    joiner = "&" if "?" in here else "?"
    return Frame(
        lang=lang,
        user=found,
        role=role_words(t, found),
        links=tuple(
            NavLink(href, t(f"nav.{name}"), name == section)
            for name, href, roles in sections
            if found is not None and (roles is None or found.holds(roles))
        ),
        languages=tuple(
            LanguageChoice(code, language_name(code), code == lang, f"{here}{joiner}lang={code}")
            for code in LANGUAGES
        ),
        here=here,
        section=section,
        htmx=_htmx_url(),
    )


def page(
    request: Request,
    name: str,
    context: Any,
    *,
    section: str = "",
    status: int = 200,
    default_language: str | None = None,
) -> Template:
    """Render ``console/<name>`` with its one typed context, in the request's language
    (``default_language`` when neither ``?lang=`` nor a signed-in account chooses one: a page that knows
    whose it is before anyone signs in, a reset link's, speaks its account's language)."""
    lang = request_language(request, default_language) if default_language else language(request)
    return Template(
        template_name=f"console/{name}",
        context={
            "page": context,
            "frame": _frame(request, lang, section),
            "t": CATALOGUE.bound(lang),
            "lang": lang,
        },
        status_code=status,
    )


def fragment(request: Request, name: str, context: Any, status: int = 200) -> Template:
    """Render the part of a page that htmx swaps (``console/_<name>``), in the request's language."""
    return Template(
        template_name=f"console/{name}",
        context={"page": context, "t": CATALOGUE.bound(language(request))},
        status_code=status,
    )


def refusal(request: Request, rejected: Rejected) -> str:
    """Why a form was refused, in the page's language: ``error.<reason>`` of the catalogue, or, for a
    reason it has no words for yet (a rule added elsewhere), the error's own English sentence."""
    key = f"error.{rejected.reason}"
    if key in CATALOGUE:
        return CATALOGUE.translate(key, language(request), **rejected.params)
    return rejected.english or CATALOGUE.translate("error.unexpected", language(request))


def wave_title(t: Callable[..., str], wave: Wave) -> str:
    """A wave as people call it: "Survey before the campaign", "Survey after, comparison group"."""
    if wave.arm == "comparison":
        return t(f"wave.{wave.phase}.comparison")
    return t(f"wave.{wave.phase}")


def translator(request: Request) -> Callable[..., str]:
    """``t(key, **params)`` in the request's language, for texts decided in Python."""
    return CATALOGUE.bound(language(request))
