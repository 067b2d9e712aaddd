"""What the console decides, between its routes and the database: which campaign a caller may see, what a
form may create, and what each page is made of.

No litestar here: a route reads the request, calls one function of this module, and renders what comes
back. A form's flow has several endings, and they are values, not exceptions: the thing made, or
:class:`Rejected` with the reason the page says in its reader's language (``error.<reason>`` in
:mod:`survey.console.messages`). A missing campaign, wave or questionnaire is a
:class:`~survey.errors.NotFound`, which the error handler turns into a 404 page.

Every lookup of a campaign or a wave goes through :func:`campaign_for` or :func:`wave_for`, of a
questionnaire through :func:`questionnaire_for`, and of a team through :func:`team_for`, each given the
caller and the roles the action needs: the one place where the caller's role in the team of what it names
is checked. Someone outside that team gets the same :class:`~survey.errors.NotFound` as for a key that
does not exist (nothing tells them the campaign is there); a member whose role does not allow the action
gets :class:`~survey.errors.Forbidden`. Lists show only what the caller may read.

One module, though long: it is the one place where the caller's role in a team is checked before
anything is read or changed (campaign_for, wave_for, questionnaire_for, team_for); splitting it by
area would put that check in several places.
"""

from __future__ import annotations

import asyncio
import io
import ipaddress
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal
from urllib.parse import urlsplit

import asyncpg
import segno

from survey.console.roles import (
    ALL_ROLES,
    CAMPAIGN_READERS,
    DESIGNERS,
    INSTALLATION_ADMIN,
    TEAM_MANAGERS,
    TEAM_READERS,
)
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import console as console_db
from survey.db import questionnaires as questionnaires_db
from survey.db import teams as teams_db
from survey.db.accounts import ACCOUNT_LANGUAGES, Account, AuditEntry, Membership, Principal
from survey.db.campaigns import Campaign, Wave
from survey.db.console import StatusCounts, VersionInfo, WaveProgress
from survey.db.questionnaires import PublishResult, QuestionnaireSummary, QuestionnaireVersion
from survey.db.teams import Member, Team
from survey.errors import (
    AlreadyTaken,
    Conflict,
    Forbidden,
    InvalidAnswer,
    InvalidDefinition,
    InvalidExpression,
    NotFound,
    RuleBroken,
)
from survey.questionnaire.diff import Diff
from survey.questionnaire.diff import diff as diff_versions
from survey.questionnaire.isolated import import_xlsform_isolated
from survey.questionnaire.load import load_definition, problem
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.paging import plan_for
from survey.questionnaire.xlsform import ReportLine, definition_yaml
from survey.web.inputs import BIGINT_MAX, whole_number

__all__ = [
    "AUDIT_PAGE",
    "AccountDraft",
    "AccountListing",
    "CampaignDetail",
    "CampaignDraft",
    "CampaignOverview",
    "Comparison",
    "Imported",
    "Monitoring",
    "PageName",
    "PasswordChange",
    "Rejected",
    "ResetLink",
    "SetupDraft",
    "TeamDetail",
    "TeamDraft",
    "TeamRow",
    "TokenDraft",
    "WaveCounts",
    "WaveDraft",
    "add_member",
    "add_wave",
    "api_tokens",
    "audit_entries",
    "campaign_detail",
    "campaign_for",
    "campaigns_overview",
    "change_password",
    "compare_versions",
    "create_account",
    "create_campaign",
    "create_team",
    "create_token",
    "designer_teams",
    "import_workbook",
    "is_loopback",
    "list_accounts",
    "monitoring",
    "publish_definition",
    "qr_code",
    "questionnaire_for",
    "questionnaire_versions",
    "questionnaires",
    "remove_member",
    "rename_team",
    "reset_password",
    "revoke_token",
    "set_disabled",
    "set_installation_admin",
    "set_language",
    "set_member_role",
    "set_questionnaire_shared",
    "set_up_first_admin",
    "set_wave_status",
    "team_detail",
    "team_for",
    "teams_overview",
    "text_in",
    "use_reset_link",
    "wave_for",
]

#: Audit entries per page of the audit log.
AUDIT_PAGE: Final = 100


@dataclass(frozen=True, slots=True)
class Rejected:
    """Nothing was done: ``reason`` names the message (``error.<reason>``) and ``params`` fill it.

    ``status`` is the HTTP status the page comes back with (400 for a wrong value, 409 for a taken key,
    413 for an upload too large); ``details`` are the problems of a definition or a workbook (the
    loader's :class:`~survey.questionnaire.load.Problem`, each naming a place in the definition or a
    sheet and row), said in the reader's language by :func:`survey.console.problems.problem_views`.
    """

    reason: str
    status: int = 400
    params: Mapping[str, object] = field(default_factory=dict)
    details: tuple[str, ...] = ()
    english: str = ""
    """The sentence of the error behind the refusal, said when the catalogue has no words for it."""


def _rejected(exc: InvalidAnswer | Conflict, fallback: str) -> Rejected:
    # The database layer names the rule it applied (RuleBroken, AlreadyTaken); an error without one is
    # reported under ``fallback``.
    if isinstance(exc, (RuleBroken, AlreadyTaken)):
        return Rejected(exc.reason, exc.status_code, exc.params, english=exc.message)
    return Rejected(fallback, exc.status_code, english=exc.message)


# -- lookups: the one place for a check of the caller's role in a team -------------------------------


def _allowed(who: Principal, team_id: int, roles: frozenset[str], missing: NotFound) -> None:
    """Raise ``missing`` when ``who`` is not in the team, Forbidden when its role there is not in
    ``roles``. An installation administrator passes where ``roles`` names it."""
    if who.installation_admin and INSTALLATION_ADMIN in roles:
        return
    role = who.role_in(team_id)
    if role is None:
        raise missing
    if role not in roles:
        raise Forbidden("Your role in this team does not allow this.")


async def campaign_for(
    conn: asyncpg.Connection, who: Principal, key: str, roles: frozenset[str]
) -> Campaign:
    """The campaign ``key``, when ``who`` has one of ``roles`` in its team.

    NotFound when there is no such campaign or ``who`` is not in its team (the same answer, so that
    nobody outside a team learns which campaigns it has); Forbidden for a member whose role does not
    allow the action.
    """
    campaign = await campaigns_db.get_campaign(conn, key)
    _allowed(who, campaign.team_id, roles, NotFound(f'no campaign "{key}"'))
    return campaign


async def wave_for(
    conn: asyncpg.Connection, who: Principal, key: str, roles: frozenset[str]
) -> Wave:
    """The wave ``key``, when ``who`` has one of ``roles`` in its campaign's team (see
    :func:`campaign_for`)."""
    wave = await campaigns_db.get_wave(conn, key)
    _allowed(who, wave.team_id, roles, NotFound(f'no wave "{key}"'))
    return wave


async def questionnaire_for(
    conn: asyncpg.Connection,
    who: Principal,
    key: str,
    version: int | None = None,
    *,
    roles: frozenset[str] = CAMPAIGN_READERS,
) -> QuestionnaireVersion:
    """Version ``version`` (the latest when None) of questionnaire ``key``, when ``who`` may see it: a
    questionnaire shared with every team to anyone with one of ``roles`` in some team, one kept to its
    team to that team's members with one of ``roles``. NotFound otherwise, as for an unknown key."""
    found = await questionnaires_db.get_version(conn, key, version)
    missing = NotFound(f'no questionnaire "{key}" has been published')
    if found.shared:
        if not who.holds(roles):
            raise missing
        return found
    _allowed(who, found.team_id, roles, missing)
    return found


async def team_for(
    conn: asyncpg.Connection, who: Principal, key: str, roles: frozenset[str]
) -> Team:
    """The team ``key``, when ``who`` has one of ``roles`` in it (or administers the installation and
    ``roles`` names that); NotFound for anyone outside it, Forbidden for a member whose role does not
    allow the action."""
    team = await teams_db.get_team(conn, key)
    _allowed(who, team.id, roles, NotFound(f'no team "{key}"'))
    return team


def _team_ids(who: Principal, roles: frozenset[str]) -> list[int]:
    return [m.team_id for m in who.teams_as(roles)]


# -- campaigns and waves ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WaveCounts:
    """A wave and its responses by status."""

    wave: Wave
    counts: StatusCounts


@dataclass(frozen=True, slots=True)
class CampaignOverview:
    campaign: Campaign
    waves: tuple[WaveCounts, ...]
    role: str
    """The caller's role in the campaign's team."""

    @property
    def complete(self) -> int:
        return sum(w.counts.complete for w in self.waves)

    @property
    def partial(self) -> int:
        return sum(w.counts.partial for w in self.waves)


async def campaigns_overview(conn: asyncpg.Connection, who: Principal) -> list[CampaignOverview]:
    """Every campaign of ``who``'s teams, with its waves and their counts: three queries in all, however
    many campaigns there are."""
    teams = _team_ids(who, ALL_ROLES)
    if not teams:
        return []
    campaigns = await campaigns_db.list_campaigns(conn, teams)
    waves = await campaigns_db.list_waves(conn, teams)
    counts = await console_db.all_counts(conn, teams)
    by_campaign: dict[int, list[WaveCounts]] = {}
    for w in waves:
        by_campaign.setdefault(w.campaign_id, []).append(
            WaveCounts(w, counts.get(w.key, StatusCounts()))
        )
    return [
        CampaignOverview(c, tuple(by_campaign.get(c.id, ())), who.role_in(c.team_id) or "")
        for c in campaigns
    ]


@dataclass(frozen=True, slots=True)
class CampaignDetail:
    campaign: Campaign
    waves: tuple[WaveCounts, ...]
    versions: tuple[int, ...]
    """The questionnaire's published versions, oldest first (a new wave may pin any)."""
    languages: tuple[str, ...]
    """The languages of the questionnaire's latest version (export labels may use any)."""
    role: str
    """The caller's role in the campaign's team."""


async def campaign_detail(conn: asyncpg.Connection, who: Principal, key: str) -> CampaignDetail:
    campaign = await campaign_for(conn, who, key, CAMPAIGN_READERS)
    waves = await campaigns_db.waves_of(conn, key)
    counts = await console_db.campaign_counts(conn, campaign.id)
    versions = await console_db.list_versions(conn, campaign.questionnaire)
    # The campaign's own questionnaire, which its team may always read.
    latest = await questionnaires_db.get_version(conn, campaign.questionnaire)
    return CampaignDetail(
        campaign=campaign,
        waves=tuple(WaveCounts(w, counts.get(w.key, StatusCounts())) for w in waves),
        versions=tuple(v.version for v in versions),
        languages=tuple(latest.definition.languages),
        role=who.role_in(campaign.team_id) or "",
    )


@dataclass(frozen=True, slots=True)
class CampaignDraft:
    """What the new-campaign form sent, as typed (shown again when it is rejected)."""

    key: str = ""
    questionnaire: str = ""
    design: str = "independent"
    cluster: str = ""
    team: str = ""


def designer_teams(who: Principal) -> tuple[Membership, ...]:
    """The teams where ``who`` may create campaigns (and publish questionnaires)."""
    return who.teams_as(DESIGNERS)


async def create_campaign(
    conn: asyncpg.Connection, who: Principal, draft: CampaignDraft
) -> Campaign | Rejected:
    """A campaign of one of ``who``'s teams (where it is an administrator or a researcher), on a
    questionnaire that team may use."""
    if not draft.key:
        return Rejected("campaign_key_missing")
    teams = {m.team: m for m in designer_teams(who)}
    team = teams.get(draft.team) if draft.team else next(iter(teams.values()), None)
    if team is None:
        return Rejected("team_not_yours")
    try:
        chosen = await questionnaire_for(conn, who, draft.questionnaire, roles=DESIGNERS)
    except NotFound:
        return Rejected("questionnaire_unknown", params={"questionnaire": draft.questionnaire})
    if not chosen.shared and chosen.team_id != team.team_id:
        # One the caller sees through another of its teams, kept to that team.
        params = {"questionnaire": draft.questionnaire, "team": team.team}
        return Rejected("questionnaire_not_shared", params=params)
    try:
        return await campaigns_db.create_campaign(
            conn,
            draft.key,
            questionnaire=draft.questionnaire,
            design=draft.design,
            cluster_item=draft.cluster or None,
            team=team.team,
        )
    except NotFound:
        return Rejected("questionnaire_unknown", params={"questionnaire": draft.questionnaire})
    except (InvalidAnswer, Conflict) as exc:
        return _rejected(exc, "campaign_refused")


@dataclass(frozen=True, slots=True)
class WaveDraft:
    """What the add-wave form sent, as typed."""

    phase: str = ""
    arm: str = "campaign"
    version: str = ""
    key: str = ""


async def add_wave(
    conn: asyncpg.Connection, who: Principal, campaign_key: str, draft: WaveDraft
) -> Wave | Rejected:
    campaign = await campaign_for(conn, who, campaign_key, DESIGNERS)
    try:
        version = whole_number(draft.version, "version")
    except InvalidAnswer:
        return Rejected("version_not_number", params={"version": draft.version[:40]})
    try:
        return await campaigns_db.add_wave(
            conn,
            campaign.key,
            phase=draft.phase,
            arm=draft.arm or "campaign",
            version=version,
            key=draft.key or None,
        )
    except NotFound:
        return Rejected("version_unknown", params={"version": draft.version})
    except (InvalidAnswer, Conflict) as exc:
        return _rejected(exc, "wave_refused")


async def set_wave_status(
    conn: asyncpg.Connection, who: Principal, key: str, status: Literal["open", "closed"]
) -> WaveCounts:
    """Open or close a wave; the wave as it is now, with its counts (for the row that shows it)."""
    await wave_for(conn, who, key, DESIGNERS)
    wave = await campaigns_db.set_wave_status(conn, key, status)
    counts = await console_db.campaign_counts(conn, wave.campaign_id)
    return WaveCounts(wave, counts.get(wave.key, StatusCounts()))


def is_loopback(base_url: str) -> bool:
    """True when links under ``base_url`` open only on the server's own machine (127.0.0.1, ::1,
    localhost): respondents' phones cannot reach them."""
    host = (urlsplit(base_url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def qr_code(link: str, kind: Literal["svg", "png"], *, title: str) -> bytes:
    """The link as a QR code: SVG (for print, ``title`` inside it) or PNG.

    Error correction M survives a poster's scuffs and a phone's glare; a quiet zone of 4 modules is what
    scanners need around the code.
    """
    code = segno.make(link, error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=8, border=4, title=title)
    else:
        code.save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


# -- monitoring ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageName:
    """A page of the questionnaire as a reader knows it: its number, its section's title (or, for a section
    without one, its first question) and, for a long section split over pages, which part."""

    number: int | None
    title: str | None
    part: int = 1
    parts: int = 1


@dataclass(frozen=True, slots=True)
class Monitoring:
    wave: Wave
    progress: WaveProgress
    pages: Mapping[str, PageName]
    """Page key (as responses record it) → its name, for every page of the wave's version."""
    questionnaire_title: str
    """The title of the wave's questionnaire version in the reader's language (its key if untitled)."""


async def monitoring(
    conn: asyncpg.Connection, who: Principal, key: str, language: str
) -> Monitoring:
    """A wave's collection so far, with its pages named in ``language`` (the questionnaire's default
    language where the questionnaire lacks it)."""
    wave = await wave_for(conn, who, key, CAMPAIGN_READERS)
    progress = await console_db.wave_progress(conn, wave.id)
    version = await questionnaires_db.get_version_by_id(conn, wave.version_id)
    q = version.definition
    pages = {}
    for page in plan_for(q).pages:
        title = text_in(page.section.title, language, q.default_language)
        if title is None and page.items:
            # A section without a title is known by its first question.
            title = text_in(page.items[0].text, language, q.default_language)
        pages[page.key] = PageName(
            number=page.number, title=title, part=page.part, parts=page.parts
        )
    title = text_in(q.title, language, q.default_language) or wave.questionnaire
    return Monitoring(wave=wave, progress=progress, pages=pages, questionnaire_title=title)


def text_in(texts: Mapping[str, str] | None, language: str, default: str) -> str | None:
    """A questionnaire text in ``language``, else in the questionnaire's ``default`` language, else in
    any language it has; None when there is none."""
    if not texts:
        return None
    return texts.get(language) or texts.get(default) or next(iter(texts.values()), None)


# -- questionnaires -----------------------------------------------------------------------------------


async def questionnaires(
    conn: asyncpg.Connection, who: Principal, roles: frozenset[str] = CAMPAIGN_READERS
) -> list[QuestionnaireSummary]:
    """Every published questionnaire ``who`` may see with one of ``roles``: those shared with every team,
    and those kept to a team where ``who`` has one of them; with its latest version."""
    if not who.holds(roles):
        return []
    return await questionnaires_db.list_questionnaires(conn, _team_ids(who, roles))


async def questionnaire_versions(
    conn: asyncpg.Connection, who: Principal, key: str
) -> tuple[QuestionnaireVersion, list[VersionInfo]]:
    """The latest version of questionnaire ``key`` and the list of all its versions."""
    latest = await questionnaire_for(conn, who, key)
    return latest, await console_db.list_versions(conn, key)


@dataclass(frozen=True, slots=True)
class Comparison:
    key: str
    a: int
    b: int
    versions: tuple[int, ...]
    diff: Diff


async def compare_versions(
    conn: asyncpg.Connection, who: Principal, key: str, a: str | None, b: str | None
) -> Comparison | Rejected:
    """Versions ``a`` and ``b`` of a questionnaire compared item by item (by default the latest with the
    one before it)."""
    await questionnaire_for(conn, who, key)
    versions = tuple(v.version for v in await console_db.list_versions(conn, key))
    try:
        first, second = whole_number(a, "a"), whole_number(b, "b")
    except InvalidAnswer:
        return Rejected("versions_not_numbers")
    first = max(1, versions[-1] - 1) if first is None else first
    second = versions[-1] if second is None else second
    old = await questionnaire_for(conn, who, key, first)
    new = await questionnaire_for(conn, who, key, second)
    return Comparison(
        key=key,
        a=first,
        b=second,
        versions=versions,
        diff=diff_versions(old.definition, new.definition),
    )


@dataclass(frozen=True, slots=True)
class Imported:
    """A workbook turned into a questionnaire: the definition (YAML) and what could not be carried over."""

    questionnaire: Questionnaire
    definition: str
    report: tuple[ReportLine, ...]


def _problems(exc: InvalidDefinition | InvalidExpression) -> tuple[str, ...]:
    # The file is named by the refusal's own sentence; each problem keeps its code and parameters.
    if isinstance(exc, InvalidExpression):
        return (
            problem(
                "",
                "expression_syntax",
                "{reason} at position {position}",
                reason=exc.reason,
                position=exc.position,
            ),
        )
    return tuple(exc.errors)


async def import_workbook(
    data: bytes, *, source: str, language: str | None, max_bytes: int
) -> Imported | Rejected:
    """Import an XLSForm workbook (nothing is published)."""
    if len(data) > max_bytes:
        return Rejected(
            "upload_too_large", 413, {"name": source, "megabytes": max_bytes // 1_000_000}
        )
    if not data:
        return Rejected("upload_empty", params={"name": source})
    try:
        # In a child process whose memory and time are bounded, waited for off the event loop.
        q, report = await asyncio.to_thread(
            import_xlsform_isolated, data, source=source, language=language
        )
    except (InvalidDefinition, InvalidExpression) as exc:
        return Rejected("import_failed", params={"name": source}, details=_problems(exc))
    comments = [f"Imported from {source} in the console.", *(str(line) for line in report)]
    return Imported(questionnaire=q, definition=definition_yaml(q, comments), report=tuple(report))


async def publish_definition(
    conn: asyncpg.Connection, who: Principal, text: str, *, team: str = "", shared: bool = False
) -> tuple[Questionnaire, PublishResult] | Rejected:
    """Publish a definition that came back from the browser, validated again like any file would be.

    A new questionnaire belongs to ``team`` (one where ``who`` is an administrator or a researcher),
    shared with every team or kept to it; a new version of an existing one needs that role in the
    questionnaire's own team, and keeps its team and sharing.
    """
    if not text.strip():
        return Rejected("nothing_to_publish")
    try:
        q = await asyncio.to_thread(load_definition, text, source="the previewed definition")
    except InvalidDefinition as exc:
        return Rejected("publish_failed", details=_problems(exc))
    existing = await questionnaires_db.latest_version(conn, q.key)
    teams = {m.team: m for m in designer_teams(who)}
    if existing is not None:
        if who.role_in(existing.team_id) not in DESIGNERS:
            # Another team's questionnaire (kept or shared): its key is taken, and nothing more is said.
            return Rejected("questionnaire_key_taken", 409, {"key": q.key})
        owner = next(m.team for m in who.teams if m.team_id == existing.team_id)
    else:
        chosen = teams.get(team) if team else next(iter(teams.values()), None)
        if chosen is None:
            return Rejected("team_not_yours")
        owner = chosen.team
    return q, await questionnaires_db.publish(conn, q, team=owner, shared=shared)


async def set_questionnaire_shared(
    conn: asyncpg.Connection, who: Principal, key: str, shared: bool
) -> Rejected | None:
    """Share a questionnaire with every team, or keep it to its own team (not while other teams' campaigns
    use it): for the administrators and researchers of its team."""
    found = await questionnaire_for(conn, who, key)
    if who.role_in(found.team_id) not in DESIGNERS:
        raise Forbidden(
            "Only the administrators and researchers of its team share a questionnaire."
        )
    try:
        await questionnaires_db.set_shared(conn, key, shared)
    except AlreadyTaken as exc:
        return _rejected(exc, "questionnaire_in_use")
    return None


# -- accounts (the installation's administrators) -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountDraft:
    email: str = ""
    team: str = ""
    role: str = "researcher"
    password: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class AccountListing:
    account: Account
    teams: tuple[Membership, ...]


async def list_accounts(conn: asyncpg.Connection, who: Principal) -> list[AccountListing]:
    """Every account with its teams and roles (two queries, however many accounts)."""
    memberships = await teams_db.all_memberships(conn)
    return [
        AccountListing(a, memberships.get(a.id, ())) for a in await accounts_db.list_accounts(conn)
    ]


async def create_account(
    pool: asyncpg.Pool,
    who: Principal,
    draft: AccountDraft,
    *,
    hash_password: Callable[..., str],
) -> Account | Rejected:
    """An account with a first password and a role in one team.

    ``hash_password`` (:func:`survey.console.auth.hash_password`) refuses a password that breaks the
    rules, naming the rule, and returns the hash to store. It runs before a connection is taken: argon2
    takes tens of milliseconds of CPU, off the event loop, and no pool connection waits for it.
    """
    try:
        email = accounts_db.check_email(draft.email)
        accounts_db.check_role(draft.role)
        async with pool.acquire() as conn:
            team = await teams_db.get_team(conn, draft.team or teams_db.DEFAULT_TEAM)
        password_hash = await asyncio.to_thread(hash_password, draft.password, email=email)
        async with pool.acquire() as conn:
            return await accounts_db.create_account(
                conn,
                email,
                role=draft.role,
                password_hash=password_hash,
                team=team.key,
                installation_admin=False,
            )
    except NotFound:
        return Rejected("team_unknown", params={"team": draft.team})
    except (InvalidAnswer, Conflict) as exc:
        return _rejected(exc, "account_refused")


async def set_disabled(
    conn: asyncpg.Connection, who: Principal, account_id: int, disabled: bool
) -> Rejected | None:
    """Disable an account (its sessions end, its API tokens stop working) or enable it again."""
    if disabled and account_id == who.account_id:
        return Rejected("disable_self")
    await accounts_db.set_disabled(conn, account_id, disabled)
    return None


async def _audit(conn: asyncpg.Connection, who: Principal, action: str, **detail: str) -> None:
    """An audit entry of what ``who`` did in the console (accounts, tokens, teams)."""
    await accounts_db.record_audit(
        conn, action=action, actor=who.email, account_id=who.account_id, detail=detail
    )


async def set_installation_admin(
    conn: asyncpg.Connection, who: Principal, account_id: int, admin: bool
) -> Rejected | None:
    """Make an account an administrator of the installation, or no longer one (never one's own: the
    installation always keeps the administrator who asks)."""
    if not admin and account_id == who.account_id:
        return Rejected("installation_admin_self")
    account = await accounts_db.get_account(conn, account_id)
    await accounts_db.set_installation_admin(conn, account_id, admin)
    await _audit(
        conn,
        who,
        "installation_admin_granted" if admin else "installation_admin_removed",
        member=account.email,
    )
    return None


@dataclass(frozen=True, slots=True)
class ResetLink:
    """A reset link just made: its secret (shown once) and what it ended."""

    account: Account
    secret: str
    ended: accounts_db.CredentialsEnded


async def reset_password(
    conn: asyncpg.Connection,
    who: Principal,
    account_id: int,
    *,
    start: Callable[..., Awaitable[tuple[str, accounts_db.CredentialsEnded]]],
) -> ResetLink | Rejected:
    """A one-time link that lets the account set a new password (its old password, sessions and tokens
    end now). Not for one's own account, whose password is changed on one's own page.

    ``start`` is :func:`survey.console.auth.start_password_reset`.
    """
    if account_id == who.account_id:
        return Rejected("reset_self")
    account = await accounts_db.get_account(conn, account_id)
    secret, ended = await start(conn, account_id, created_by=who.account_id)
    await _audit(conn, who, "password_reset", member=account.email)
    return ResetLink(account=account, secret=secret, ended=ended)


async def use_reset_link(
    conn: asyncpg.Connection,
    token_hash: bytes,
    password: str,
    *,
    hash_password: Callable[[str], str],
) -> accounts_db.PasswordReset | Rejected | None:
    """Set a new password through a reset link, once: the account it was for, Rejected when the password
    breaks a rule (the link still works then), None when the link is used, expired or unknown."""
    if await accounts_db.password_reset(conn, token_hash) is None:
        return None
    try:
        password_hash = await asyncio.to_thread(hash_password, password)
    except InvalidAnswer as exc:
        return _rejected(exc, "password_refused")
    return await accounts_db.finish_password_reset(conn, token_hash, password_hash)


# -- one's own account: password and API tokens --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PasswordChange:
    """What the change-password form sent (never shown again)."""

    current: str = field(default="", repr=False)
    new: str = field(default="", repr=False)
    again: str = field(default="", repr=False)


async def change_password(
    pool: asyncpg.Pool,
    who: Principal,
    change: PasswordChange,
    *,
    verify: Callable[[str], Awaitable[str | None]],
    hash_password: Callable[..., str],
    keep_session: bytes | None,
) -> accounts_db.CredentialsEnded | Rejected:
    """Change ``who``'s own password: the current one first, checked within the sign-in limits by
    ``verify`` (None when right, else why not: ``wrong``, or a limit); then the new one, twice, by the
    rules of ``hash_password``. Every other session and every API token of the account end; the
    session ``keep_session`` (the one asking) goes on. A connection is taken only to store the change:
    never while a password is hashed."""
    if not change.new or change.new != change.again:
        return Rejected("passwords_differ")
    refused = await verify(change.current)
    if refused == "wrong":
        return Rejected("current_password_wrong")
    if refused is not None:
        return Rejected("password_attempts_limited", 429)
    try:
        password_hash = await asyncio.to_thread(hash_password, change.new, email=who.email)
    except InvalidAnswer as exc:
        return _rejected(exc, "password_refused")
    async with pool.acquire() as conn:
        return await accounts_db.set_password_hash(
            conn, who.email, password_hash, keep_session=keep_session
        )


@dataclass(frozen=True, slots=True)
class TokenDraft:
    """What the new-token form sent, as typed."""

    name: str = ""
    scopes: tuple[str, ...] = ("campaigns",)
    days: str = ""


async def api_tokens(conn: asyncpg.Connection, who: Principal) -> list[accounts_db.ApiToken]:
    """``who``'s own API tokens, newest first, revoked and expired ones included."""
    return await accounts_db.list_api_tokens(conn, who.account_id)


async def create_token(
    conn: asyncpg.Connection,
    who: Principal,
    draft: TokenDraft,
    *,
    issue: Callable[..., Awaitable[Any]],
) -> Any:
    """A new API token of ``who``'s own (``issue`` is :func:`survey.console.auth.issue_api_token`): the
    issued token, shown once, or Rejected with the rule it broke."""
    if not draft.days.isdigit() or len(draft.days) > 3:
        return Rejected("token_days_invalid")
    try:
        issued = await issue(
            conn, who.account_id, name=draft.name, scopes=draft.scopes, days=int(draft.days)
        )
    except RuleBroken as exc:
        return _rejected(exc, "token_refused")
    await _audit(
        conn, who, "token_created", token=issued.token.name, scopes=", ".join(issued.token.scopes)
    )
    return issued


async def revoke_token(
    conn: asyncpg.Connection, who: Principal, token_id: int
) -> accounts_db.ApiToken:
    """Revoke one of ``who``'s own tokens; NotFound for any other."""
    revoked = await accounts_db.revoke_api_token(conn, token_id, account_id=who.account_id)
    await _audit(conn, who, "token_revoked", token=revoked.name)
    return revoked


# -- teams ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TeamRow:
    team: Team
    role: str | None
    """The caller's role in the team (None: an installation administrator outside it)."""


async def teams_overview(conn: asyncpg.Connection, who: Principal) -> list[TeamRow]:
    """The teams ``who`` may see: every team for an installation administrator, else its own."""
    mine = {m.team_id: m.role for m in who.teams}
    found = await teams_db.list_teams(conn)
    return [
        TeamRow(team, mine.get(team.id))
        for team in found
        if who.installation_admin or team.id in mine
    ]


@dataclass(frozen=True, slots=True)
class TeamDraft:
    key: str = ""
    name: str = ""


async def create_team(
    conn: asyncpg.Connection, who: Principal, draft: TeamDraft
) -> Team | Rejected:
    """A new team, with no member yet (the installation administrator adds them)."""
    if not draft.key:
        return Rejected("team_key_missing")
    try:
        team = await teams_db.create_team(conn, draft.key, draft.name)
    except (InvalidAnswer, Conflict) as exc:
        return _rejected(exc, "team_refused")
    await _audit(conn, who, "team_created", team=team.key)
    return team


@dataclass(frozen=True, slots=True)
class TeamDetail:
    team: Team
    members: tuple[Member, ...]
    campaigns: tuple[Campaign, ...]
    role: str | None
    """The caller's role in the team."""
    can_manage: bool
    """Whether the caller may add, change and remove members and rename the team."""


async def team_detail(conn: asyncpg.Connection, who: Principal, key: str) -> TeamDetail:
    team = await team_for(conn, who, key, TEAM_READERS)
    role = who.role_in(team.id)
    return TeamDetail(
        team=team,
        members=tuple(await teams_db.members(conn, team.id)),
        campaigns=tuple(await campaigns_db.list_campaigns(conn, [team.id])) if role else (),
        role=role,
        can_manage=who.installation_admin or role == "admin",
    )


async def add_member(
    conn: asyncpg.Connection, who: Principal, key: str, email: str, role: str
) -> Member | Rejected:
    """Put an existing account into the team with ``role`` (a member already: its role changes)."""
    team = await team_for(conn, who, key, TEAM_MANAGERS)
    email = accounts_db.normalise_email(email)
    if not email:
        return Rejected("member_email_missing")
    try:
        accounts_db.check_role(role)
    except RuleBroken as exc:
        return _rejected(exc, "member_refused")
    account = await accounts_db.find_account(conn, email) if "\x00" not in email else None
    if account is None:
        return Rejected("member_unknown", 404, {"email": email})
    try:
        await teams_db.add_member(conn, team, account.id, role)
    except RuleBroken as exc:
        return _rejected(exc, "member_refused")
    await _audit(conn, who, "team_member_added", team=team.key, member=email, role=role)
    return next(m for m in await teams_db.members(conn, team.id) if m.account_id == account.id)


async def set_member_role(
    conn: asyncpg.Connection, who: Principal, key: str, account_id: int, role: str
) -> Rejected | None:
    team = await team_for(conn, who, key, TEAM_MANAGERS)
    try:
        await teams_db.set_member_role(conn, team, account_id, role)
    except RuleBroken as exc:
        return _rejected(exc, "member_refused")
    member = await accounts_db.get_account(conn, account_id)
    await _audit(conn, who, "team_member_role", team=team.key, member=member.email, role=role)
    return None


async def remove_member(
    conn: asyncpg.Connection, who: Principal, key: str, account_id: int
) -> Rejected | None:
    """Take a member out of the team: it no longer sees the team's campaigns, and its API tokens end."""
    team = await team_for(conn, who, key, TEAM_MANAGERS)
    member = await accounts_db.get_account(conn, account_id)
    try:
        await teams_db.remove_member(conn, team, account_id)
    except RuleBroken as exc:
        return _rejected(exc, "member_refused")
    await _audit(conn, who, "team_member_removed", team=team.key, member=member.email)
    return None


async def rename_team(
    conn: asyncpg.Connection, who: Principal, key: str, name: str
) -> Rejected | None:
    team = await team_for(conn, who, key, TEAM_MANAGERS)
    try:
        await teams_db.rename_team(conn, team.key, name)
    except RuleBroken as exc:
        return _rejected(exc, "team_refused")
    return None


# -- the first administrator ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetupDraft:
    code: str = field(default="", repr=False)
    email: str = ""
    password: str = field(default="", repr=False)
    again: str = field(default="", repr=False)


async def set_up_first_admin(
    conn: asyncpg.Connection,
    draft: SetupDraft,
    *,
    hash_code: Callable[[str], bytes],
    hash_password: Callable[[str], str],
) -> Account | Rejected:
    """The installation's first administrator (and an administrator of the default team), made with the
    set-up code from the server's log. The code works once, and only while the installation has no
    administrator; NotFound once it has one (the page is gone)."""
    if not await accounts_db.setup_needed(conn):
        raise NotFound("The installation is set up: sign in.")
    if not draft.code.strip():
        return Rejected("setup_code_missing")
    if draft.password != draft.again:
        return Rejected("passwords_differ")
    try:
        password_hash = await asyncio.to_thread(hash_password, draft.password)
    except InvalidAnswer as exc:
        return _rejected(exc, "account_refused")
    try:
        async with conn.transaction():
            if not await accounts_db.use_setup_code(conn, hash_code(draft.code)):
                return Rejected("setup_code_wrong", 403)
            # Under the code's row lock: a second request with the same code waits, then finds it used.
            if not await accounts_db.setup_needed(conn):
                raise NotFound("The installation is set up: sign in.")
            account = await accounts_db.create_account(
                conn,
                draft.email,
                role="admin",
                password_hash=password_hash,
                installation_admin=True,
            )
    except (InvalidAnswer, Conflict) as exc:
        return _rejected(exc, "account_refused")
    return account


async def set_language(conn: asyncpg.Connection, who: Principal, language: str) -> Rejected | None:
    """Keep ``who``'s choice of interface language."""
    if language not in ACCOUNT_LANGUAGES:
        return Rejected("language_unknown", params={"language": language})
    await accounts_db.set_language(conn, who.account_id, language)
    return None


async def audit_entries(
    conn: asyncpg.Connection, who: Principal, before: str | None
) -> tuple[list[AuditEntry], int | None]:
    """A page of the audit log, newest first, below entry ``before``; and where the next page starts."""
    below = whole_number(before, "before", maximum=BIGINT_MAX)
    entries = await accounts_db.list_audit(conn, before=below, limit=AUDIT_PAGE)
    older = entries[-1].id if len(entries) == AUDIT_PAGE else None
    return entries, older
