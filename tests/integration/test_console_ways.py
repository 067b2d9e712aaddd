"""The console in the reader's language, its links and what they lead to, on a real database.

* Every console page rendered in Mongolian has no string of the English catalogue left; every key the
  templates and the code use is in the catalogue, in both languages.
* The language is kept per account (new accounts: Mongolian), ``?lang=`` works before signing in.
* Every link a role is shown leads somewhere that role may go: no 403, no dead end; each campaign leads to
  its report for every role.
* The wave's link comes with a copy button and its QR code on the page, and a warning when the public
  address is a loopback one; no page carries an inline script (the Content-Security-Policy forbids it).
* The campaign list reads its counts in a fixed number of queries, however many campaigns there are.
"""

from __future__ import annotations

import re
import string
import typing
from collections.abc import AsyncIterator
from html import unescape
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.console import auth, service
from survey.console.campaigns import EXPORT_FORMATS
from survey.console.messages import CATALOGUE, MESSAGES
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import teams as teams_db
from survey.db.accounts import ROLES
from survey.db.campaigns import DESIGNS, PROBLEMS
from survey.db.migrate import migrate, migration_files
from survey.db.pool import connect
from survey.questionnaire.model import ITEM_TYPES
from survey.settings import Settings
from survey.web.i18n import LANGUAGES
from tests.helpers import (
    HTMX,
    PASSWORD,
    Study,
    add_response,
    csrf_token,
    english_left,
    make_account,
    make_study,
    password_hash,
    sign_in_as,
    visible_text,
)
from tests.helpers import (
    post_console_form as post_form,
)

ROOT = Path(__file__).resolve().parents[2] / "survey"
MN = CATALOGUE.bound("mn")
EN = CATALOGUE.bound("en")

# -- the catalogue ------------------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        assert _placeholders(texts["mn"]) == _placeholders(texts["en"]), key


def test_mongolian_messages_are_written_in_cyrillic() -> None:
    for key, texts in MESSAGES.items():
        if key.startswith(("language_name.", "format.")) or texts["mn"] == texts["en"]:
            continue
        letters = [ch for ch in re.sub(r"\{\w+\}", "", texts["mn"]) if ch.isalpha()]
        latin = [ch for ch in letters if ch.isascii()]
        # Latin only for names that stay Latin in Mongolian text (SURVEY_BASE_URL, XLSForm, API, aimag).
        assert len(latin) <= 30 and len(latin) < len(letters), (key, texts["mn"])


def test_no_case_ending_is_glued_to_a_placeholder() -> None:
    for key, texts in MESSAGES.items():
        # "{version}-р", "{key}-ийн": the ending depends on the vowels of what fills the placeholder.
        assert not re.search(r"\}-?[а-яөү]", texts["mn"]), (key, texts["mn"])


def test_every_key_the_console_uses_is_in_the_catalogue() -> None:
    sources = [
        *ROOT.joinpath("templates", "console").glob("*.html"),
        *ROOT.joinpath("console").glob("*.py"),
    ]
    used: set[str] = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*['"]([a-z_.-]+)['"]""", text))
    # The preview's own respondent strings (view.t) come from the respondent catalogue.
    used -= {"progress", "submit", "next"}
    assert len(used) > 150
    assert used <= set(MESSAGES), sorted(used - set(MESSAGES))
    # Keys made from stored codes: every code has its words.
    made = (
        [f"role.{r}" for r in ROLES]
        + [f"design.{d}" for d in DESIGNS]
        + [f"design.{d}.hint" for d in DESIGNS]
        + [f"status.{s}" for s in ("draft", "open", "closed")]
        + [f"phase.{p}" for p in ("pre", "post")]
        + [f"arm.{a}" for a in ("campaign", "comparison")]
        + [f"wave.{p}" for p in ("pre", "post")]
        + [f"wave.{p}.comparison" for p in ("pre", "post")]
        + [f"type.{t}" for t in ITEM_TYPES]
        + [f"format.{f}" for f in EXPORT_FORMATS]
        + [f"error.{reason}" for reason in PROBLEMS]
        + [f"error.{r}" for r in ("role_unknown", "email_invalid", "account_exists")]
        + [f"error.{r}" for r in ("password_short", "password_long", "disable_self")]
        + [f"sign_in.refused.{r}" for r in typing.get_args(auth.Refusal)]
        + [f"nav.{s}" for s in ("campaigns", "questionnaires", "users", "audit")]
        + [f"audit.{a}" for a in ("export", "api_responses")]
    )
    assert [key for key in made if key not in MESSAGES] == []


# -- every page in Mongolian --------------------------------------------------------------------------


async def _every_page(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> dict[str, str]:
    """The HTML of every console page and state: lists, forms with their refusals, fragments."""
    await add_response(db, study.pre, {"consent": "yes", "k_offer": "no"})
    await add_response(db, study.pre, {}, status="in_progress", pages=("consent", "about"))
    await add_response(db, study.pre, {"consent": "no"}, status="declined", pages=("consent",))
    await db.execute("UPDATE wave SET status = 'open' WHERE key = 'tip-pre'")
    await accounts_db.record_audit(
        db, action="export", actor="x@example.org", campaign_id=study.campaign.id,
        detail={"format": "csv", "wave": None, "include_partial": True, "language": "mn"},
    )  # fmt: skip
    pages: dict[str, str] = {}
    # An installation with no account: the first visit is the set-up of the first administrator.
    first = await client.get("/sign-in")
    assert first.status_code == 303 and first.headers["location"] == "/setup"
    pages["setup"] = (await client.get("/setup")).text
    pages["setup refused"] = (
        await post_form(
            client,
            "/setup",
            {"code": "WRONG", "email": "a@example.org", "password": PASSWORD, "again": PASSWORD},
        )
    ).text
    await make_account(db, "viewer", "somebody@example.org")
    pages["sign-in"] = (await client.get("/sign-in")).text
    pages["sign-in after a reset"] = (await client.get("/sign-in?reset=1")).text
    pages["sign-in refused"] = (
        await client.post(
            "/sign-in",
            data={
                "email": "x@example.org",
                "password": "wrong",
                "_csrf_token": await csrf_token(client),
            },
        )
    ).text
    await sign_in_as(client, db, "admin")
    other = await teams_db.create_team(db, "other", "Өөр баг")
    await teams_db.add_member(
        db, other, (await accounts_db.get_account_by_email(db, "admin@example.org")).id, "analyst"
    )
    secret, _ = await auth.start_password_reset(
        db, (await accounts_db.get_account_by_email(db, "somebody@example.org")).id, created_by=None
    )
    for path in (
        "/console/campaigns",
        "/console/campaigns/new",
        "/console/campaigns/tip",
        "/console/waves/tip-pre",
        "/console/waves/tip-post",
        "/console/questionnaires",
        "/console/questionnaires/tq",
        "/console/questionnaires/tq/versions/2",
        "/console/questionnaires/tq/versions/1?language=en",
        "/console/questionnaires/tq/diff?a=1&b=2",
        "/console/questionnaires/tq/diff?a=x",
        "/console/xlsform",
        "/console/users",
        "/console/audit",
        "/console/teams",
        "/console/teams/default",
        "/console/teams/other",
        "/console/account",
        "/console/account?changed=1&sessions=2&tokens=1",
        "/console/account/tokens",
        f"/reset-password/{secret}",
        "/reset-password/no-such-link",
    ):
        response = await client.get(path)
        assert response.status_code in (200, 400, 404), (path, response.status_code)
        pages[path] = response.text
    pages["fragment: progress"] = (await client.get("/console/waves/tip-pre", headers=HTMX)).text
    pages["fragment: wave"] = (
        await post_form(client, "/console/waves/tip-post/open", headers=HTMX)
    ).text
    refusals = {
        "/console/campaigns": {"key": "Bad Key!", "questionnaire": "tq", "design": "independent"},
        "/console/campaigns/tip/waves": {"phase": "pre"},
        "/console/users": {"email": "nobody", "role": "analyst", "password": "short"},
        "/console/xlsform/publish": {"definition": "key: [broken"},
        "/console/teams": {"key": "Bad Key!"},
        "/console/teams/default/members": {"email": "nobody@example.org", "role": "viewer"},
        "/console/account/password": {"current": "wrong", "password": "x", "again": "y"},
        "/console/account/tokens": {"name": "", "scope": "campaigns", "days": "30"},
        f"/reset-password/{secret}": {"password": "x", "again": "y"},
    }
    for path, form in refusals.items():
        response = await post_form(client, path, form)
        assert response.status_code in (400, 404, 409), (path, response.text[:300])
        pages[f"refused {path}"] = response.text
    made = await post_form(
        client, "/console/account/tokens", {"name": "R", "scope": "campaigns", "days": "30"}
    )
    assert made.status_code == 200
    pages["a new token"] = made.text
    somebody = await accounts_db.get_account_by_email(db, "somebody@example.org")
    reset = await post_form(client, f"/console/users/{somebody.id}/reset")
    assert reset.status_code == 200
    pages["a reset link"] = reset.text
    return pages


async def test_every_console_page_in_mongolian_has_no_english_left(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    pages = await _every_page(client, db, study)
    for name, html in pages.items():
        # The preview shows the questionnaire in the language asked for; the console around it is still
        # Mongolian. The importer's report lines (what it carried over differently) are in English.
        # Keys (of items, waves, campaigns) are data, shown as code: an item may be called "consent".
        html = re.sub(r"<code\b[^>]*>.*?</code>", "", html, flags=re.S)
        html = re.sub(r'<td lang="en">.*?</td>', "", html, flags=re.S)
        html = re.sub(r'<div class="respondent" lang="en">.*?</template>', "", html, flags=re.S)
        assert english_left(html, CATALOGUE) == [], name
        if not name.startswith("fragment"):
            assert '<html lang="mn">' in html, name
        # No internal keys on screen: roles, designs and statuses are words.
        text = visible_text(html)
        for code in ("independent", "researcher)", "(admin)", "in_progress", "draft"):
            assert code not in text, (name, code)
        # The default team is named in the reader's language, never by its key.
        assert not re.search(r"(?<!\w)default(?!\w)", text), name


async def test_the_same_pages_in_english_say_english(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    html = (await client.get("/console/campaigns/tip")).text
    assert '<html lang="en">' in html
    assert EN("campaign.export") in html and MN("campaign.export") not in html


# -- the language, per account ------------------------------------------------------------------------


async def test_new_accounts_read_mongolian_and_keep_the_language_they_choose(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    account = await sign_in_as(client, db, "analyst")
    assert account.language == "mn"
    assert '<html lang="mn">' in (await client.get("/console/campaigns")).text
    # The switch keeps the choice with the account and comes back to the page it was on.
    switched = await post_form(
        client, "/console/language", {"language": "en", "next": "/console/campaigns/tip?x=1"}
    )
    assert (
        switched.status_code == 303 and switched.headers["location"] == "/console/campaigns/tip?x=1"
    )
    assert (await accounts_db.get_account(db, account.id)).language == "en"
    assert '<html lang="en">' in (await client.get("/console/campaigns")).text
    # ?lang= shows one page in the other language without changing the account's choice.
    assert '<html lang="mn">' in (await client.get("/console/campaigns?lang=mn")).text
    assert (await accounts_db.get_account(db, account.id)).language == "en"
    # Wrong values: a clear 400, nothing changed; a next address elsewhere is not followed.
    bad = await post_form(client, "/console/language", {"language": "fr"})
    assert bad.status_code == 400 and EN("error.language_unknown") in unescape(bad.text)
    away = await post_form(
        client, "/console/language", {"language": "mn", "next": "//evil.example"}
    )
    assert away.status_code == 303 and away.headers["location"] == "/console"
    assert (await accounts_db.get_account(db, account.id)).language == "mn"


async def test_before_signing_in_lang_works_and_signing_in_keeps_it(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    account = await make_account(db, "viewer")
    mongolian = await client.get("/sign-in")
    assert '<html lang="mn">' in mongolian.text and 'href="/sign-in?lang=en"' in mongolian.text
    english = await client.get("/sign-in?lang=en&next=/console/campaigns")
    assert '<html lang="en">' in english.text and EN("sign_in.submit") in english.text
    # The form posts back with the language chosen, and a wrong password is said in it.
    assert 'action="/sign-in?lang=en"' in english.text
    token = await csrf_token(client)
    wrong = await client.post(
        "/sign-in?lang=en", data={"email": account.email, "password": "nope", "_csrf_token": token}
    )
    assert wrong.status_code == 400 and EN("sign_in.refused.wrong") in wrong.text
    signed_in = await client.post(
        "/sign-in?lang=en",
        data={
            "email": account.email,
            "password": PASSWORD,
            "_csrf_token": token,
            "next": "/console",
        },
    )
    assert signed_in.status_code == 303
    assert (await accounts_db.get_account(db, account.id)).language == "en"
    # Without ?lang= the account's language stays as it is.
    other = await make_account(db, "analyst", language="en")
    client.cookies.clear()
    token = await csrf_token(client)
    await client.post(
        "/sign-in", data={"email": other.email, "password": PASSWORD, "_csrf_token": token}
    )
    assert (await accounts_db.get_account(db, other.id)).language == "en"


# -- ways in: every link a role is shown leads somewhere it may go ------------------------------------


def _links(html: str) -> set[str]:
    found = {unescape(h) for h in re.findall(r'<a [^>]*href="([^"]+)"', html)}
    return {h for h in found if h.startswith("/") and not h.startswith(("/static/", "/sign-in"))}


@pytest.mark.parametrize("role", ROLES)
async def test_every_link_a_role_is_shown_leads_somewhere_it_may_go(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study, role: str
) -> None:
    for n in range(6):
        await add_response(db, study.pre, {"consent": "yes", "k_offer": "no" if n % 2 else "yes"})
        await add_response(db, study.post, {"consent": "yes", "k_offer": "no"})
    await sign_in_as(client, db, role)
    landing = await client.get("/console", follow_redirects=True)
    assert landing.status_code == 200 and str(landing.url).endswith("/console/campaigns")
    # Every role's list links the campaign's report.
    assert "/campaigns/tip/report" in _links(landing.text)
    seen: set[str] = set()
    frontier = {"/console/campaigns"}
    for _ in range(3):  # the list, what it links, what those link
        next_frontier: set[str] = set()
        for path in sorted(frontier - seen):
            seen.add(path)
            response = await client.get(path, follow_redirects=True)
            assert response.status_code == 200, (role, path, response.status_code)
            if response.headers.get("content-type", "").startswith("text/html"):
                next_frontier |= _links(response.text)
        frontier = next_frontier
    assert "/campaigns/tip/report" in seen
    if role != "viewer":
        assert "/console/campaigns/tip" in seen and "/console/waves/tip-pre" in seen


async def test_campaigns_name_their_questionnaire_by_its_title_in_the_readers_language(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    """People read titles; the questionnaire's key ("tq") is for files and commands."""
    await sign_in_as(client, db, "researcher")
    for path in ("/console/campaigns", "/console/campaigns/tip", "/console/waves/tip-pre"):
        mongolian = visible_text((await client.get(path)).text)
        assert "Туршилтын асуулга" in mongolian and " tq " not in f" {mongolian} ", path
        english = visible_text((await client.get(f"{path}?lang=en")).text)
        assert "A test questionnaire" in english and "Туршилтын" not in english, path


async def test_the_campaign_page_links_its_report(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    for role in ("admin", "researcher", "analyst"):
        await sign_in_as(client, db, role, language="en")
        html = (await client.get("/console/campaigns/tip")).text
        assert f'<a class="button" href="/campaigns/tip/report">{EN("campaign.report")}</a>' in html


# -- links a person can use ---------------------------------------------------------------------------


def _app(settings: Settings, base_url: str):
    changed = Settings(
        **{**{f: getattr(settings, f) for f in settings.__struct_fields__}, "base_url": base_url}
    )
    return create_app(changed, database_url=settings.database_url)


@pytest.fixture(name="loopback_client")
async def loopback_client_fixture(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(_app(settings, "http://127.0.0.1:8000")) as test_client:
        test_client.follow_redirects = False
        yield test_client


async def test_a_loopback_address_is_named_on_the_campaign_page(
    client: AsyncTestClient, loopback_client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    await sign_in_as(loopback_client, db, "researcher")
    html = unescape((await loopback_client.get("/console/campaigns/tip")).text)
    assert MN("campaign.loopback_title") in html and "SURVEY_BASE_URL" in html
    assert MN("campaign.loopback", address="http://127.0.0.1:8000") in html
    # Not for those who hand out no links, and not when the address is a public one.
    await sign_in_as(loopback_client, db, "analyst")
    assert "SURVEY_BASE_URL" not in (await loopback_client.get("/console/campaigns/tip")).text
    await sign_in_as(client, db, "admin")
    assert "SURVEY_BASE_URL" not in (await client.get("/console/campaigns/tip")).text


@pytest.mark.parametrize(
    ("base_url", "loopback"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://127.8.9.1", True),
        ("http://localhost:8000", True),
        ("http://LOCALHOST", True),
        ("http://app.localhost", True),
        ("http://[::1]:8000", True),
        ("https://survey.example.org", False),
        ("http://192.168.1.20:8000", False),
        ("http://10.0.0.5", False),
        ("http://localhost.example.org", False),
        ("https://[2001:db8::1]", False),
    ],
)
def test_which_addresses_are_loopback(base_url: str, loopback: bool) -> None:
    assert service.is_loopback(base_url) is loopback


async def test_the_wave_link_has_a_copy_button_and_its_qr_code_on_the_page(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    await sign_in_as(client, db, "researcher")
    html = (await client.get("/console/campaigns/tip")).text
    card = re.search(r'<article class="wave-card[^"]*" id="wave-tip-pre".*?</article>', html, re.S)
    assert card is not None
    card_html = card.group(0)
    link = f"http://testserver/r/{study.pre.token}"
    # The link in a read-only field (selectable without JavaScript), a copy button naming that field.
    field = re.search(
        r'<textarea id="(link-tip-pre)"[^>]*readonly[^>]*>([^<]*)</textarea>', card_html
    )
    assert field is not None and field.group(2) == link
    assert 'data-copy="link-tip-pre"' in card_html
    # The QR code shown, and downloadable in both formats.
    assert '<img src="/console/waves/tip-pre/qr.svg"' in card_html
    assert 'href="/console/waves/tip-pre/qr.svg" download' in card_html
    assert 'href="/console/waves/tip-pre/qr.png" download' in card_html
    assert (await client.get("/console/waves/tip-pre/qr.svg")).status_code == 200


async def test_no_console_page_has_an_inline_script_or_style(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    pages = await _every_page(client, db, study)
    for name, html in pages.items():
        for script in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in script, (name, script)
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), name
        assert not re.search(r"\son[a-z]+=", html), name  # onclick=, onfocus=...
        assert "<style" not in html and ' style="' not in html, name


# -- the campaign list's queries ----------------------------------------------------------------------


class Counting:
    """A connection that counts the statements sent through it (and forwards everything else)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.statements: list[str] = []

    def __getattr__(self, name: str) -> object:
        method = getattr(self.conn, name)
        if name not in ("fetch", "fetchrow", "fetchval", "execute", "cursor"):
            return method

        def counted(query: str, *args: object, **kwargs: object) -> object:
            self.statements.append(query)
            return method(query, *args, **kwargs)

        return counted


async def _queries_of_the_overview(db: asyncpg.Connection) -> int:
    who = await _principal(db)
    counting = Counting(db)
    overview = await service.campaigns_overview(counting, who)  # type: ignore[arg-type]
    assert overview
    return len(counting.statements)


async def _principal(db: asyncpg.Connection):
    found = await accounts_db.find_account(db, "admin@example.org") or await make_account(
        db, "admin"
    )
    return accounts_db.Principal(
        account_id=found.id,
        email=found.email,
        installation_admin=found.installation_admin,
        teams=await teams_db.memberships_of(db, found.id),
        language=found.language,
        via="session",
    )


async def test_the_campaign_list_counts_in_the_same_queries_for_one_campaign_or_many(
    db: asyncpg.Connection,
) -> None:
    study = await make_study(db)
    await add_response(db, study.pre, {"consent": "yes"})
    one = await _queries_of_the_overview(db)
    for n in range(5):
        key = f"more-{n}"
        await campaigns_db.create_campaign(db, key, questionnaire="tq", design="independent")
        wave = await campaigns_db.add_wave(db, key, phase="pre")
        await add_response(db, wave, {"consent": "yes"})
        await add_response(db, wave, {}, status="in_progress")
    many = await _queries_of_the_overview(db)
    assert one == many == 3
    overview = {
        c.campaign.key: c for c in await service.campaigns_overview(db, await _principal(db))
    }
    assert (overview["more-3"].complete, overview["more-3"].partial) == (1, 1)
    assert (overview["tip"].complete, overview["tip"].partial) == (1, 0)


async def test_accounts_made_before_the_language_column_keep_english(
    empty_database_url: str,
) -> None:
    """The console was English only until accounts had a language: an upgrade changes no one's, and
    accounts made afterwards start in Mongolian."""
    conn = await connect(empty_database_url)
    try:
        await conn.execute(
            "CREATE TABLE schema_migration (number integer PRIMARY KEY, name text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for number, name, sql in migration_files():
            if "language" in name:
                break
            await conn.execute(sql)
            await conn.execute(
                "INSERT INTO schema_migration (number, name) VALUES ($1, $2)", number, name
            )
        await conn.execute(
            "INSERT INTO account (email, role, password_hash) VALUES ('old@example.org', 'admin', $1)",
            password_hash(),
        )
        assert [n for n in await migrate(conn) if "language" in n]
        assert (await accounts_db.get_account_by_email(conn, "old@example.org")).language == "en"
        new = await make_account(conn, "viewer")
        assert new.language == "mn"
    finally:
        await conn.close()


HOSTILE = [
    "",
    " ",
    "x" * 100_000,
    "a\x00b",
    '<script>alert("x")</script>',
    "' OR 1=1 --",
    "../../etc/passwd",
    "ǅ\u202e\ufeff",
]


async def test_wrong_empty_huge_and_malicious_values_get_a_clear_answer(
    client: AsyncTestClient, db: asyncpg.Connection, pool: asyncpg.Pool, study: Study
) -> None:
    await sign_in_as(client, db, "admin")
    forms = {
        "/console/campaigns": ("key", {"questionnaire": "tq", "design": "independent"}),
        "/console/campaigns/tip/waves": ("wave_key", {"phase": "post"}),
        "/console/users": ("email", {"role": "analyst", "password": PASSWORD, "team": "default"}),
        "/console/language": ("language", {}),
        "/console/teams": ("key", {"name": "A team"}),
        "/console/teams/default/name": ("name", {}),
        "/console/teams/default/members": ("email", {"role": "viewer"}),
        "/console/account/tokens": ("name", {"scope": "campaigns", "days": "30"}),
        "/console/account/password": ("current", {"password": "x", "again": "y"}),
    }
    for path, (field, rest) in forms.items():
        for value in HOSTILE:
            for name in (field, *rest):
                form = {**rest, field: "ok-value" if name != field else value}
                if name != field:
                    form[name] = value
                response = await post_form(client, path, form)
                context = (path, name, value[:40], response.status_code, response.text[-500:])
                # Done (303; a token is shown on its page, 200), or refused with a 4xx.
                done = response.status_code == 303 or (
                    path == "/console/account/tokens" and response.status_code == 200
                )
                assert done or 400 <= response.status_code < 500, context
                assert "<script>alert" not in response.text, context
    # Every form had one wrong value: nothing was stored.
    assert [c.key for c in await campaigns_db.list_campaigns(db)] == ["tip"]
    assert [w.key for w in await campaigns_db.waves_of(db, "tip")] == ["tip-pre", "tip-post"]
    assert [a.email for a in await accounts_db.list_accounts(db)] == ["admin@example.org"]
    # A token is made only with a name that is one line; no password changed.
    names = [r["name"] for r in await db.fetch("SELECT name FROM api_token")]
    assert all(name.strip() and "\x00" not in name and len(name) <= 100 for name in names), names
    assert (await auth.sign_in(pool, "admin@example.org", PASSWORD)).account_id is not None
