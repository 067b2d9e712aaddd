"""What the console decides, between its routes and the database: which campaign a caller may see, what a
form may create, and what each page is made of.

No litestar here: a route reads the request, calls one function of this module, and renders what comes
back. A form's flow has several endings, and they are values, not exceptions: the thing made, or
:class:`Rejected` with the reason the page says in its reader's language (``error.<reason>`` in
:mod:`survey.console.messages`). A missing campaign, wave or questionnaire is a
:class:`~survey.errors.NotFound`, which the error handler turns into a 404 page.

Every lookup of a campaign or a wave goes through :func:`campaign_for` or :func:`wave_for`, and of a
questionnaire through :func:`questionnaire_for`, each given the caller: the one place where a check of the
caller's team will go when campaigns belong to teams.
"""

from __future__ import annotations

import asyncio
import io
import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal
from urllib.parse import urlsplit

import asyncpg
import segno

from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import console as console_db
from survey.db import questionnaires as questionnaires_db
from survey.db.accounts import ACCOUNT_LANGUAGES, Account, AuditEntry, Principal
from survey.db.campaigns import Campaign, Wave
from survey.db.console import StatusCounts, VersionInfo, WaveProgress
from survey.db.questionnaires import PublishResult, QuestionnaireSummary, QuestionnaireVersion
from survey.errors import (
    AlreadyTaken,
    Conflict,
    InvalidAnswer,
    InvalidDefinition,
    InvalidExpression,
    NotFound,
    RuleBroken,
)
from survey.questionnaire.diff import Diff
from survey.questionnaire.diff import diff as diff_versions
from survey.questionnaire.isolated import import_xlsform_isolated
from survey.questionnaire.load import load_definition
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.paging import plan_for
from survey.questionnaire.xlsform import ReportLine, definition_yaml
from survey.web.inputs import BIGINT_MAX, whole_number

__all__ = [
    "AUDIT_PAGE",
    "AccountDraft",
    "CampaignDetail",
    "CampaignDraft",
    "CampaignOverview",
    "Comparison",
    "Imported",
    "Monitoring",
    "PageName",
    "Rejected",
    "WaveCounts",
    "WaveDraft",
    "add_wave",
    "audit_entries",
    "campaign_detail",
    "campaign_for",
    "campaigns_overview",
    "compare_versions",
    "create_account",
    "create_campaign",
    "import_workbook",
    "is_loopback",
    "list_accounts",
    "monitoring",
    "publish_definition",
    "qr_code",
    "questionnaire_for",
    "questionnaire_versions",
    "questionnaires",
    "set_disabled",
    "set_language",
    "set_wave_status",
    "text_in",
    "wave_for",
]

#: Audit entries per page of the audit log.
AUDIT_PAGE: Final = 100


@dataclass(frozen=True, slots=True)
class Rejected:
    """Nothing was done: ``reason`` names the message (``error.<reason>``) and ``params`` fill it.

    ``status`` is the HTTP status the page comes back with (400 for a wrong value, 409 for a taken key,
    413 for an upload too large); ``details`` are lines written by the importer, in English, each naming
    a sheet and row or a place in the definition.
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


# -- lookups: the one place for a per-campaign check of the caller ------------------------------------


async def campaign_for(conn: asyncpg.Connection, who: Principal, key: str) -> Campaign:
    """The campaign ``key`` as ``who`` may see it; NotFound when there is none.

    Today every signed-in account that reached a console route may see every campaign (the route's
    roles decide); a check of the caller's team belongs here.
    """
    return await campaigns_db.get_campaign(conn, key)


async def wave_for(conn: asyncpg.Connection, who: Principal, key: str) -> Wave:
    """The wave ``key`` as ``who`` may see it (see :func:`campaign_for`); NotFound when there is none."""
    return await campaigns_db.get_wave(conn, key)


async def questionnaire_for(
    conn: asyncpg.Connection, who: Principal, key: str, version: int | None = None
) -> QuestionnaireVersion:
    """Version ``version`` (the latest when None) of questionnaire ``key`` as ``who`` may see it."""
    return await questionnaires_db.get_version(conn, key, version)


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

    @property
    def complete(self) -> int:
        return sum(w.counts.complete for w in self.waves)

    @property
    def partial(self) -> int:
        return sum(w.counts.partial for w in self.waves)


async def campaigns_overview(conn: asyncpg.Connection, who: Principal) -> list[CampaignOverview]:
    """Every campaign ``who`` may see, with its waves and their counts: three queries in all, however many
    campaigns there are."""
    campaigns = await campaigns_db.list_campaigns(conn)
    waves = await campaigns_db.list_waves(conn)
    counts = await console_db.all_counts(conn)
    by_campaign: dict[int, list[WaveCounts]] = {}
    for w in waves:
        by_campaign.setdefault(w.campaign_id, []).append(
            WaveCounts(w, counts.get(w.key, StatusCounts()))
        )
    return [CampaignOverview(c, tuple(by_campaign.get(c.id, ()))) for c in campaigns]


@dataclass(frozen=True, slots=True)
class CampaignDetail:
    campaign: Campaign
    waves: tuple[WaveCounts, ...]
    versions: tuple[int, ...]
    """The questionnaire's published versions, oldest first (a new wave may pin any)."""
    languages: tuple[str, ...]
    """The languages of the questionnaire's latest version (export labels may use any)."""


async def campaign_detail(conn: asyncpg.Connection, who: Principal, key: str) -> CampaignDetail:
    campaign = await campaign_for(conn, who, key)
    waves = await campaigns_db.waves_of(conn, key)
    counts = await console_db.campaign_counts(conn, campaign.id)
    versions = await console_db.list_versions(conn, campaign.questionnaire)
    latest = await questionnaire_for(conn, who, campaign.questionnaire)
    return CampaignDetail(
        campaign=campaign,
        waves=tuple(WaveCounts(w, counts.get(w.key, StatusCounts())) for w in waves),
        versions=tuple(v.version for v in versions),
        languages=tuple(latest.definition.languages),
    )


@dataclass(frozen=True, slots=True)
class CampaignDraft:
    """What the new-campaign form sent, as typed (shown again when it is rejected)."""

    key: str = ""
    questionnaire: str = ""
    design: str = "independent"
    cluster: str = ""


async def create_campaign(
    conn: asyncpg.Connection, who: Principal, draft: CampaignDraft
) -> Campaign | Rejected:
    if not draft.key:
        return Rejected("campaign_key_missing")
    try:
        return await campaigns_db.create_campaign(
            conn,
            draft.key,
            questionnaire=draft.questionnaire,
            design=draft.design,
            cluster_item=draft.cluster or None,
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
    campaign = await campaign_for(conn, who, campaign_key)
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
    await wave_for(conn, who, key)
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


async def monitoring(
    conn: asyncpg.Connection, who: Principal, key: str, language: str
) -> Monitoring:
    """A wave's collection so far, with its pages named in ``language`` (the questionnaire's default
    language where the questionnaire lacks it)."""
    wave = await wave_for(conn, who, key)
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
    return Monitoring(wave=wave, progress=progress, pages=pages)


def text_in(texts: Mapping[str, str] | None, language: str, default: str) -> str | None:
    """A questionnaire text in ``language``, else in the questionnaire's ``default`` language, else in
    any language it has; None when there is none."""
    if not texts:
        return None
    return texts.get(language) or texts.get(default) or next(iter(texts.values()), None)


# -- questionnaires -----------------------------------------------------------------------------------


async def questionnaires(conn: asyncpg.Connection, who: Principal) -> list[QuestionnaireSummary]:
    """Every published questionnaire ``who`` may see, with its latest version."""
    return await questionnaires_db.list_questionnaires(conn)


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
    versions = tuple(v.version for v in await console_db.list_versions(conn, key))
    if not versions:
        raise NotFound(f'no questionnaire "{key}" has been published')
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
    if isinstance(exc, InvalidExpression):
        return (exc.message,)
    return tuple(f"{exc.source}: {e}" if exc.source else e for e in exc.errors)


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
    conn: asyncpg.Connection, who: Principal, text: str
) -> tuple[Questionnaire, PublishResult] | Rejected:
    """Publish a definition that came back from the browser, validated again like any file would be."""
    if not text.strip():
        return Rejected("nothing_to_publish")
    try:
        q = await asyncio.to_thread(load_definition, text, source="the previewed definition")
    except InvalidDefinition as exc:
        return Rejected("publish_failed", details=_problems(exc))
    return q, await questionnaires_db.publish(conn, q)


# -- accounts -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountDraft:
    email: str = ""
    role: str = "researcher"
    password: str = field(default="", repr=False)


async def list_accounts(conn: asyncpg.Connection, who: Principal) -> list[Account]:
    return await accounts_db.list_accounts(conn)


async def create_account(
    pool: asyncpg.Pool,
    who: Principal,
    draft: AccountDraft,
    *,
    hash_password: Callable[..., str],
) -> Account | Rejected:
    """An account with a first password.

    ``hash_password`` (:func:`survey.console.auth.hash_password`) refuses a password that breaks the
    rules, naming the rule, and returns the hash to store. It runs before a connection is taken: argon2
    takes tens of milliseconds of CPU, off the event loop, and no pool connection waits for it.
    """
    try:
        email = accounts_db.check_email(draft.email)
        accounts_db.check_role(draft.role)
        password_hash = await asyncio.to_thread(hash_password, draft.password, email=email)
        async with pool.acquire() as conn:
            return await accounts_db.create_account(
                conn, email, role=draft.role, password_hash=password_hash
            )
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
