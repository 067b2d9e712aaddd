"""The ``survey`` command line: one command, sub-commands per area.

A user mistake prints one clear line and exits non-zero; never a traceback.

One module, though long: it is the command line's table of contents (every sub-command's arguments
and help text in one parser, which tests/unit/test_docs.py compares with the docs); each command
is a thin function that calls the package that does the work.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import math
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import yaml

from survey.db import campaigns as campaigns_db
from survey.db import questionnaires as questionnaires_db
from survey.db.migrate import migrate
from survey.db.pool import connect
from survey.db.replica import Reads, open_reads
from survey.db.server import resolve_database
from survey.errors import InvalidAnswer, InvalidDefinition, NotFound, SurveyError
from survey.settings import Settings, forms_dir

Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


@asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[asyncpg.Connection]:
    """A migrated database connection for one command; the embedded server stops afterwards."""
    database = await resolve_database(settings)
    try:
        try:
            conn = await connect(database.url)
        except (OSError, asyncpg.PostgresError) as exc:
            raise SurveyError(f"cannot connect to the database: {exc}") from exc
        try:
            await migrate(conn)
            yield conn
        finally:
            await conn.close()
    finally:
        database.stop()


def command_reads(
    settings: Settings, conn: asyncpg.Connection
) -> AbstractAsyncContextManager[Reads]:
    """Where a command's report or export reads: the replica of DATABASE_REPLICA_URL when it is
    current, else ``conn`` (survey/db/replica.py)."""
    return open_reads(
        conn,
        settings.replica_url,
        pool_size=1,
        max_wait=settings.replica_max_wait,
        query_timeout=settings.query_timeout,
    )


# -- db --------------------------------------------------------------------------------------------


async def cmd_db_migrate(args: argparse.Namespace, settings: Settings) -> int:
    database = await resolve_database(settings)
    try:
        conn = await connect(database.url)
        try:
            applied = await migrate(conn)
        finally:
            await conn.close()
    finally:
        database.stop()
    out("applied " + ", ".join(applied) if applied else "database is up to date")
    return 0


# -- forms -----------------------------------------------------------------------------------------


def form_paths(paths: Sequence[str]) -> list[Path]:
    """Files named on the command line; a directory stands for its ``*.yaml`` files."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(sorted(path.glob("*.yaml")))
        else:
            found.append(path)
    return found


async def cmd_forms_check(args: argparse.Namespace, settings: Settings) -> int:
    from survey.questionnaire.computed import untranslated
    from survey.questionnaire.load import load_file

    failed = 0
    for path in (str(p) for p in form_paths(args.paths)):
        try:
            definition = load_file(path)
        except InvalidDefinition as exc:
            failed += 1
            for error in exc.errors:
                sys.stderr.write(f"{path}: {error}\n")
            continue
        missing = untranslated(definition)
        # A partial translation is allowed (the default language is shown instead): a warning, so
        # that a translator can find each text, and the file still passes.
        for text in missing:
            sys.stderr.write(
                f'{path}: warning: {text.place}: no "{text.language}" translation, shown in '
                f"{definition.default_language}\n"
            )
        out(f"{path}: ok" + (f" ({len(missing)} untranslated)" if missing else ""))
    return 1 if failed else 0


async def publish_paths(
    conn: asyncpg.Connection, paths: Sequence[Path], *, team: str | None = None
) -> list[str]:
    """Publish each file; raise InvalidDefinition with every error of every file before storing any.

    A questionnaire published for the first time is shared with every team, or, with ``team``, belongs to
    that team and is kept to it.
    """
    from survey.questionnaire.load import load_file

    definitions, errors = [], []
    for path in paths:
        try:
            definitions.append(load_file(str(path)))
        except InvalidDefinition as exc:
            errors.extend(f"{exc.source or path}: {e}" for e in exc.errors)
    if errors:
        raise InvalidDefinition(errors)
    lines = []
    for definition in definitions:
        if team is None:
            result = await questionnaires_db.publish(conn, definition)
        else:
            result = await questionnaires_db.publish(conn, definition, team=team, shared=False)
        lines.append(f"{result.key} v{result.version}" + ("" if result.created else " unchanged"))
    return lines


async def cmd_forms_publish(args: argparse.Namespace, settings: Settings) -> int:
    async with open_database(settings) as conn:
        for line in await publish_paths(conn, form_paths(args.paths), team=args.team):
            out(line)
    return 0


async def cmd_forms_list(args: argparse.Namespace, settings: Settings) -> int:
    async with open_database(settings) as conn:
        summaries = await questionnaires_db.list_questionnaires(conn)
    if not summaries:
        out("no questionnaire published yet (survey forms publish forms/*.yaml)")
    for s in summaries:
        title = s.title.get("en") or next(iter(s.title.values()), "")
        out(f"{s.key:32} v{s.latest_version:<4} {s.published_at:%Y-%m-%d %H:%M}  {title}")
    return 0


async def cmd_forms_show(args: argparse.Namespace, settings: Settings) -> int:
    async with open_database(settings) as conn:
        found = await questionnaires_db.get_version(conn, args.key, args.version)
    out(f"# {found.key} v{found.version}  sha256 {found.sha256}")
    out(f"# published {found.published_at:%Y-%m-%d %H:%M:%S %Z}")
    out(
        yaml.safe_dump(
            msgspec.to_builtins(found.definition), allow_unicode=True, sort_keys=False, width=100
        ).rstrip()
    )
    return 0


async def cmd_forms_diff(args: argparse.Namespace, settings: Settings) -> int:
    from survey.questionnaire.diff import diff, format_diff

    async with open_database(settings) as conn:
        old = await questionnaires_db.get_version(conn, args.key, args.a)
        new = await questionnaires_db.get_version(conn, args.key, args.b)
    out(f"{args.key} v{old.version} -> v{new.version}")
    out(format_diff(diff(old.definition, new.definition)))
    return 0


def cmd_forms_import_xlsform(args: argparse.Namespace, settings: Settings) -> int:
    from survey.questionnaire.isolated import import_xlsform_isolated
    from survey.questionnaire.xlsform import definition_yaml

    source = Path(args.file)
    try:
        definition, report = import_xlsform_isolated(
            source, source=args.file, language=args.language
        )
    except InvalidDefinition as exc:
        raise InvalidDefinition([f"{exc.source or source}: {e}" for e in exc.errors]) from None
    key = definition.key
    target = Path(args.output) if args.output else Path("forms") / f"{key}.yaml"
    if target.is_dir() or (args.output or "").endswith(("/", os.sep)):
        target = target / f"{key}.yaml"
    if target.name != f"{key}.yaml":
        raise SurveyError(f'{target}: the file of questionnaire "{key}" must be named {key}.yaml')
    if target.exists() and not args.force:
        raise SurveyError(f"{target} already exists (--force replaces it)")
    comments = [f"Imported from {source.name} by survey forms import-xlsform."]
    if report:
        comments += ["What the import changed or left out:", *(f"  {line}" for line in report)]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(definition_yaml(definition, comments), encoding="utf-8")
    for line in report:
        out(f"note: {args.file}: {line}")
    n_items = sum(1 for _ in definition.items())
    out(
        f"wrote {target}: {n_items} items in {len(definition.sections)} sections, "
        f"languages {', '.join(definition.languages)}"
    )
    return 0


async def cmd_forms_export_xlsform(args: argparse.Namespace, settings: Settings) -> int:
    from survey.questionnaire.load import load_file
    from survey.questionnaire.xlsform import export_xlsform

    if Path(args.key).suffix in (".yaml", ".yml"):
        if args.version is not None:
            raise SurveyError("--version is for a published questionnaire, not for a file")
        definition, version, what = load_file(args.key), None, args.key
    else:
        async with open_database(settings) as conn:
            found = await questionnaires_db.get_version(conn, args.key, args.version)
        definition, version, what = found.definition, found.version, f"{found.key} v{found.version}"
    data, report = export_xlsform(definition, version=version)
    output = Path(args.output)
    output.write_bytes(data)
    for line in report:
        out(f"note: {line}")
    out(f"wrote {output} ({what})")
    return 0


# -- campaigns and waves ---------------------------------------------------------------------------


async def cmd_campaigns_create(args: argparse.Namespace, settings: Settings) -> int:
    async with open_database(settings) as conn:
        campaign = await campaigns_db.create_campaign(
            conn,
            args.key,
            questionnaire=args.questionnaire,
            design=args.design,
            cluster_item=args.cluster,
            team=args.team,
        )
    out(
        f"created campaign {campaign.key} ({campaign.design}, questionnaire {campaign.questionnaire}, "
        f"team {campaign.team})"
    )
    return 0


async def cmd_campaigns_list(args: argparse.Namespace, settings: Settings) -> int:
    async with open_database(settings) as conn:
        found = await campaigns_db.list_campaigns(conn)
        if not found:
            out("no campaign yet (survey campaigns create KEY --questionnaire Q --design D)")
        for c in found:
            cluster = f" cluster={c.cluster_item}" if c.cluster_item else ""
            out(f"{c.key:32} {c.design:12} {c.questionnaire} team={c.team}{cluster}")
            for w in await campaigns_db.waves_of(conn, c.key):
                out(f"  {w.key:30} {w.phase:4} {w.arm:10} v{w.version:<3} {w.status}")
    return 0


async def cmd_waves_add(args: argparse.Namespace, settings: Settings) -> int:
    async with open_database(settings) as conn:
        wave = await campaigns_db.add_wave(
            conn, args.campaign, phase=args.phase, arm=args.arm, version=args.version, key=args.key
        )
    out(
        f"added wave {wave.key} ({wave.phase}, {wave.arm}, {wave.questionnaire} v{wave.version}), draft"
    )
    return 0


async def cmd_waves_open(args: argparse.Namespace, settings: Settings) -> int:
    async with open_database(settings) as conn:
        wave = await campaigns_db.set_wave_status(conn, args.key, "open")
    out(f"opened wave {wave.key}: {wave.link(settings.base_url)}")
    return 0


async def cmd_waves_close(args: argparse.Namespace, settings: Settings) -> int:
    async with open_database(settings) as conn:
        wave = await campaigns_db.set_wave_status(conn, args.key, "closed")
    out(f"closed wave {wave.key}")
    return 0


async def cmd_waves_qr(args: argparse.Namespace, settings: Settings) -> int:
    import segno

    path = Path(args.output)
    kind = path.suffix.lower()
    if kind not in (".svg", ".png"):
        raise InvalidAnswer(f"the QR code file must end in .svg or .png, not {path.name!r}")
    async with open_database(settings) as conn:
        wave = await campaigns_db.get_wave(conn, args.key)
    link = wave.link(settings.base_url)
    # Error correction M survives a poster's scuffs and a phone's glare; a quiet zone of 4 modules is
    # what scanners need around the code.
    code = segno.make(link, error="m", micro=False)
    code.save(str(path), scale=10 if kind == ".png" else 1, border=4)
    out(f"wrote {path} for wave {wave.key}: {link}")
    return 0


async def cmd_waves_field(args: argparse.Namespace, settings: Settings) -> int:
    from survey.db import field as field_db

    if args.revoke is not None and args.enumerator is not None:
        raise InvalidAnswer("give --enumerator NAME or --revoke NAME, not both")
    async with open_database(settings) as conn:
        wave = await campaigns_db.get_wave(conn, args.key)
        if args.revoke is not None:
            if not await field_db.revoke_key(conn, wave.id, args.revoke):
                raise NotFound(f'wave {wave.key} has no field address in use for "{args.revoke}"')
            out(f'revoked the field address of "{args.revoke.strip()}" for wave {wave.key}')
            return 0
        key = await field_db.ensure_key(conn, wave.id, args.enumerator)
    # Only the address, on its line: what an enumerator types into ODK Collect as its server.
    out(key.url(settings.base_url))
    return 0


# -- accounts, API tokens, exports -----------------------------------------------------------------


def read_new_password() -> str:
    """A new password: prompted twice on a terminal, else one line read from standard input."""
    from survey.console.auth import check_password

    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise InvalidAnswer("the two passwords differ")
    else:
        first = sys.stdin.readline().rstrip("\r\n")
    return check_password(first)


async def cmd_users_create(args: argparse.Namespace, settings: Settings) -> int:
    from survey.console.auth import hash_password
    from survey.db import accounts as accounts_db

    accounts_db.check_role(args.role)
    password_hash = hash_password(read_new_password(), email=args.email)
    async with open_database(settings) as conn:
        account = await accounts_db.create_account(
            conn, args.email, role=args.role, password_hash=password_hash, team=args.team
        )
    # The line scripts read: "created account EMAIL (ROLE)", and the team when not the default one.
    team = "" if args.team == "default" else f" in team {args.team}"
    out(f"created account {account.email} ({args.role}{team})")
    return 0


async def cmd_users_set_password(args: argparse.Namespace, settings: Settings) -> int:
    from survey.console.auth import hash_password
    from survey.db import accounts as accounts_db

    async with open_database(settings) as conn:
        account = await accounts_db.get_account_by_email(conn, args.email)
        password_hash = hash_password(read_new_password(), email=account.email)
        ended = await accounts_db.set_password_hash(conn, account.email, password_hash)
    out(
        f"new password set for {account.email}; their sessions have ended and {ended.tokens} API "
        "tokens were revoked"
    )
    return 0


def _scopes(values: Sequence[str]) -> list[str]:
    """``--scope campaigns --scope responses`` or ``--scope campaigns,responses``."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


async def cmd_tokens_create(args: argparse.Namespace, settings: Settings) -> int:
    from survey.console.auth import issue_api_token
    from survey.db import accounts as accounts_db

    async with open_database(settings) as conn:
        account = await accounts_db.get_account_by_email(conn, args.email)
        if account.disabled:
            raise InvalidAnswer(f"account {account.email} is disabled")
        issued = await issue_api_token(
            conn,
            account.id,
            name=args.name,
            scopes=_scopes(args.scope or ["campaigns"]),
            days=args.days,
        )
    sys.stderr.write(
        f"API token {issued.token.id} for {account.email} (reads {', '.join(issued.token.scopes)}; "
        f"expires {issued.token.expires_at:%Y-%m-%d}); it is shown only this once:\n"
    )
    out(issued.secret)
    return 0


async def cmd_tokens_list(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC, datetime

    from survey.db import accounts as accounts_db

    async with open_database(settings) as conn:
        account_id = None
        if args.email:
            account_id = (await accounts_db.get_account_by_email(conn, args.email)).id
        tokens = await accounts_db.list_api_tokens(conn, account_id)
    if not tokens:
        out("no API token")
    now = datetime.now(UTC)
    for token in tokens:
        used = f"{token.last_used_at:%Y-%m-%d}" if token.last_used_at else "never"
        out(
            f"{token.id:<6} {token.status(now):8} {token.email:32} {','.join(token.scopes):20} "
            f"expires {token.expires_at:%Y-%m-%d}  last used {used}  {token.name}"
        )
    return 0


async def cmd_tokens_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from survey.db import accounts as accounts_db

    async with open_database(settings) as conn:
        token = await accounts_db.revoke_api_token(conn, args.id)
    out(f"revoked API token {token.id} ({token.name}) of {token.email}")
    return 0


# -- teams -------------------------------------------------------------------------------------------


async def cmd_teams_create(args: argparse.Namespace, settings: Settings) -> int:
    from survey.db import teams as teams_db

    async with open_database(settings) as conn:
        team = await teams_db.create_team(conn, args.key, args.name)
    out(f"created team {team.key}" + (f" ({team.name})" if team.name else ""))
    return 0


async def cmd_teams_list(args: argparse.Namespace, settings: Settings) -> int:
    from survey.db import teams as teams_db

    async with open_database(settings) as conn:
        teams = await teams_db.list_teams(conn)
        for team in teams:
            out(
                f"{team.key:32} {team.members:>4} members {team.campaigns:>4} campaigns  "
                f"{team.name or ''}".rstrip()
            )
            for member in await teams_db.members(conn, team.id):
                out(f"  {member.email:40} {member.role}")
    return 0


async def cmd_teams_add(args: argparse.Namespace, settings: Settings) -> int:
    from survey.db import accounts as accounts_db
    from survey.db import teams as teams_db

    async with open_database(settings) as conn:
        team = await teams_db.get_team(conn, args.key)
        account = await accounts_db.get_account_by_email(conn, args.email)
        added = await teams_db.add_member(conn, team, account.id, args.role)
    verb = "added" if added else "changed the role of"
    out(f"{verb} {account.email} in team {team.key}: {args.role}")
    return 0


async def cmd_teams_remove(args: argparse.Namespace, settings: Settings) -> int:
    from survey.db import accounts as accounts_db
    from survey.db import teams as teams_db

    async with open_database(settings) as conn:
        team = await teams_db.get_team(conn, args.key)
        account = await accounts_db.get_account_by_email(conn, args.email)
        await teams_db.remove_member(conn, team, account.id)
    out(f"removed {account.email} from team {team.key}; their API tokens have ended")
    return 0


class ProgressLine:
    """``exporting tip-2027: 12,000 / 50,000 responses (24%)`` rewritten in place, on a terminal only."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        share = f" ({100 * done // total}%)" if total else ""
        sys.stderr.write(f"\r{self.label}: {done:,} / {total:,} responses{share}")
        sys.stderr.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


async def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from survey.exports import export_to_path

    fmt = args.format
    if fmt == "codebook":
        fmt = "codebook-json" if args.output.lower().endswith(".json") else "codebook-csv"
    progress = ProgressLine(f"exporting {args.campaign}") if sys.stderr.isatty() else None
    try:
        actor = f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        actor = "cli"
    async with open_database(settings) as conn, command_reads(settings, conn) as reads:
        try:
            result = await export_to_path(
                conn,
                args.campaign,
                fmt,
                args.output,
                wave=args.wave,
                include_partial=args.include_partial,
                language=args.language,
                actor=actor,
                progress=progress,
                reads=reads,
            )
        finally:
            if progress is not None:
                progress.finish()
    what = "codebook" if fmt.startswith("codebook") else f"{result.rows:,} responses"
    out(f"exported {what} of {args.campaign} to {result.path}")
    return 0


# -- analysis and the demo --------------------------------------------------------------------------


async def cmd_analyze(args: argparse.Namespace, settings: Settings) -> int:
    from survey.reports.data import campaign_report
    from survey.reports.formats import report_csv, report_json, report_table

    async with (
        open_database(settings) as conn,
        command_reads(settings, conn) as reads,
        reads.connection() as reader,
    ):
        report = await campaign_report(reader, args.campaign, primary=reads.primary_connection)
    if args.format == "json":
        out(report_json(report).decode())
    elif args.format == "csv":
        sys.stdout.write(report_csv(report))
    else:
        sys.stdout.write(report_table(report))
    return 0


# -- plan --------------------------------------------------------------------------------------------

#: The names survey.analysis.power gives its parameters in messages, and the options they come from.
_PLAN_OPTIONS = {
    "d": "--effect",
    "p_pre": "--p-pre",
    "p_post": "--p-post",
    "alpha": "--alpha",
    "power": "--power",
    "correlation": "--correlation",
    "discordant": "--correlation",
    "icc": "--icc",
    "cluster_size": "--cluster-size",
    "n": "--n",
}

_DESIGN_WORDS = {
    "independent": "independent samples, different respondents before and after",
    "panel": "a panel, the same respondents before and after (linked by their panel code)",
    "comparison": "a campaign arm and a comparison arm, each surveyed before and after",
}


def _plan_mistake(args: argparse.Namespace) -> str | None:
    """What is wrong with the options of ``survey plan``, in one line, or None."""
    smd = args.outcome == "smd"
    if smd and (args.p_pre is not None or args.p_post is not None):
        return "--p-pre and --p-post are for --outcome proportion; --outcome smd takes --effect D"
    if not smd and args.effect is not None:
        return "--effect is for --outcome smd; --outcome proportion takes --p-pre P and --p-post Q"
    if args.n is not None and not args.detect:
        return "--n is for --detect (the smallest effect N respondents per wave can detect)"
    if args.detect:
        if args.n is None:
            return "--detect needs --n N, the respondents per wave you expect"
        if smd and args.effect is not None:
            return "--effect is what --detect finds; leave it out"
        if not smd and args.p_pre is None:
            return "--detect with --outcome proportion needs --p-pre P, the proportion before"
        if not smd and args.p_post is not None:
            return "--p-post is what --detect finds; leave it out"
    elif smd and args.effect is None:
        return "--outcome smd needs --effect D, the standardised difference to detect (e.g. 0.3)"
    elif not smd and (args.p_pre is None or args.p_post is None):
        return "--outcome proportion needs --p-pre P and --p-post Q, the proportions expected"
    if (args.icc is None) != (args.cluster_size is None):
        return "--icc and --cluster-size go together (the intraclass correlation, respondents per cluster)"
    if args.design == "panel" and not smd and args.correlation is None:
        return (
            "--design panel with --outcome proportion needs --correlation R, the expected "
            "correlation of a respondent's answers before and after (from a pilot); there is no safe default"
        )
    return None


def _plan_error(message: str) -> str:
    """A message of survey.analysis.power with its parameter names turned into plan's options."""
    names, sep, rest = message.partition(": ")
    parts = names.split(", ")
    if sep and all(part in _PLAN_OPTIONS for part in parts):
        message = ", ".join(_PLAN_OPTIONS[part] for part in parts) + sep + rest
    return message.replace("p_pre = ", "--p-pre ").replace("p_post = ", "--p-post ")


def plan_lines(args: argparse.Namespace) -> list[str]:
    """What ``survey plan`` prints: the answer on its first line, then what it assumes."""
    from survey.analysis import power as pw

    design, smd = args.design, args.outcome == "smd"
    icc = 0.0 if args.icc is None else args.icc
    cluster_size = 1.0 if args.cluster_size is None else args.cluster_size
    common = {
        "design": design,
        "alpha": args.alpha,
        "correlation": args.correlation,
        "icc": icc,
        "cluster_size": cluster_size,
    }
    if args.detect:
        kind = "smd" if smd else "proportion"
        effect = pw.minimum_detectable_effect(
            args.n, kind=kind, power=args.power, p_pre=args.p_pre, **common
        )
        # Rounded up: the effect printed is one the plan can detect.
        shown = math.ceil(round(effect * 1000, 6)) / 1000
        n, achieved = args.n, args.power
        first = f"minimum detectable effect: {shown:.3f}"
        d, p_post = shown, (None if smd else args.p_pre + shown)
        plan: pw.SampleSize | None = None
    else:
        if smd:
            plan = pw.n_for_smd(args.effect, power=args.power, **common)
        else:
            plan = pw.n_for_proportions(args.p_pre, args.p_post, power=args.power, **common)
        n, achieved = plan.n, plan.power
        first = f"n per wave: {plan.n}"
        d, p_post = args.effect, args.p_post
    lines = [first]
    if design == "independent":
        lines.append(f"design: {_DESIGN_WORDS[design]}: {n:,} in each wave, {2 * n:,} in all")
    elif design == "panel":
        lines.append(
            f"design: {_DESIGN_WORDS[design]}: {n:,} respondents answering both waves "
            "(invite more: some will not answer twice)"
        )
    else:
        lines.append(
            f"design: {_DESIGN_WORDS[design]}: {n:,} per arm and wave, in 4 groups, {4 * n:,} in all"
        )
    if args.cluster_size is not None:
        per = "per arm and wave" if design == "comparison" else "per wave"
        clusters = plan.clusters if plan is not None else n / cluster_size
        df = "G − 1" if design == "panel" else "2G − 2"
        lines.append(
            f"clusters: {clusters:,.4g} {per} of {cluster_size:g} respondents, ICC {icc:g}, design "
            f"effect {pw.design_effect(icc, cluster_size):.3g}; the test has the clusters' {df} "
            "degrees of freedom"
        )
    lines.append("effect: " + _plan_effect(args, d, p_post))
    df = pw.degrees_of_freedom(
        n, design=design, kind="smd" if smd else "proportion", cluster_size=cluster_size
    )
    lines.append("test: " + _plan_test(args, df))
    if args.detect:
        lines.append(f"power: {args.power:g} at alpha {args.alpha:g}")
    else:
        lines.append(f"power: {achieved:.3f} with this n (asked for {args.power:g})")
    lines.append(
        "method: "
        + (
            "exact power from the noncentral t (Cohen 1988)"
            if smd
            else {
                "independent": "Fleiss, Levin & Paik (2003), as G*Power and statsmodels",
                "panel": "McNemar's test, Connor (1987)",
                "comparison": "the OLS difference in differences, normal theory with t",
            }[design]
        )
        + (", clusters after Donner & Klar (2000)" if args.cluster_size is not None else "")
        + "; every method in docs/analysis.md"
    )
    return lines


def _plan_effect(args: argparse.Namespace, d: float | None, p_post: float | None) -> str:
    if args.outcome == "smd":
        if args.design == "panel" and args.correlation is None:
            return (
                f"d_z = {d:g}, the mean change over the standard deviation of the changes "
                "(--correlation R states d in one wave's standard deviation instead)"
            )
        if args.design == "panel":
            return (
                f"d = {d:g} in one wave's standard deviation, with a pre/post correlation of "
                f"{args.correlation:g} (equal standard deviations)"
            )
        if args.design == "comparison":
            return (
                f"d = {d:g}, the difference in differences of the means in standard deviations of "
                "one group (equal standard deviations assumed)"
            )
        return (
            f"d = {d:g}, the difference of the means in standard deviations (Cohen's d; equal "
            "standard deviations assumed)"
        )
    text = f"a proportion from {args.p_pre:g} to {p_post:.4g}"
    if args.design == "comparison":
        text += f" in the campaign arm, while the comparison arm stays at {args.p_pre:g}"
    if args.design == "panel":
        text += f", with a correlation of {args.correlation:g} between a respondent's two answers"
    return text


def _plan_test(args: argparse.Namespace, df: float | None) -> str:
    if args.outcome == "smd":
        name = {
            "independent": "Student's two-sample t test",
            "panel": "paired t test",
            "comparison": "t test of the difference in differences",
        }[args.design]
    else:
        name = {
            "independent": "two-proportion test (pooled, no continuity correction)",
            "panel": "McNemar's test",
            "comparison": "t test of the difference in differences",
        }[args.design]
    degrees = "" if df is None else f", {df:,.4g} degrees of freedom"
    return f"two-sided {name} at alpha {args.alpha:g}{degrees}"


def cmd_plan(args: argparse.Namespace, settings: Settings) -> int:
    from survey.errors import InvalidStatistics

    mistake = _plan_mistake(args)
    if mistake is not None:
        raise SurveyError(mistake)
    try:
        lines = plan_lines(args)
    except InvalidStatistics as exc:
        raise SurveyError(_plan_error(exc.message)) from None
    for line in lines:
        out(line)
    return 0


#: Respondents per wave of the demo campaigns, unless ``survey demo --respondents`` says otherwise.
DEMO_RESPONDENTS = 300


async def write_demo(
    conn: asyncpg.Connection,
    settings: Settings,
    *,
    seed: int = 1,
    respondents: int = DEMO_RESPONDENTS,
) -> None:
    """The demo campaigns (written once: nothing is added when they exist), then their true effects
    beside the estimates and the links to their reports, printed."""
    from survey.demo import format_demo, run_demo

    progress = ProgressLine("writing demo responses") if sys.stderr.isatty() else None
    try:
        result = await run_demo(
            conn,
            forms=forms_dir(settings),
            seed=seed,
            respondents=respondents,
            progress=progress,
        )
    finally:
        if progress is not None:
            progress.finish()
    for line in format_demo(result, settings.base_url):
        out(line)


async def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    async with open_database(settings) as conn:
        await write_demo(conn, settings, seed=args.seed, respondents=args.respondents)
    return 0


# -- serve -----------------------------------------------------------------------------------------


async def prepare_serving(
    settings: Settings, load_forms: bool, *, demo_respondents: int | None = None
) -> tuple[str, Any]:
    """Resolve and migrate the database and publish the shipped forms before the server starts; with
    ``demo_respondents``, write the demo campaigns too (``survey serve --demo``: one start of the
    database and of Python for a newcomer's first run, and the demo's links on the port served)."""
    database = await resolve_database(settings)
    try:
        conn = await connect(database.url)
        try:
            await migrate(conn)
            if load_forms:
                directory = forms_dir(settings)
                for line in await publish_paths(conn, sorted(directory.glob("*.yaml"))):
                    logging.getLogger("survey").info("published %s", line)
            if demo_respondents is not None:
                await write_demo(conn, settings, respondents=demo_respondents)
            await announce_setup(conn, settings)
        finally:
            await conn.close()
    except BaseException:
        database.stop()
        raise
    return database.url, database


async def announce_setup(conn: asyncpg.Connection, settings: Settings) -> None:
    """While the installation has no administrator, a new set-up code for ``/setup``, in the log.

    A warning, so that it shows at every log level; each start makes a new one (the last one printed
    is the one that works), and it works once.
    """
    from survey.console.auth import prepare_setup

    code = await prepare_setup(conn)
    if code is not None:
        logging.getLogger("survey").warning(
            "no administrator yet: open %s/setup and give the set-up code %s "
            "(or create one with: survey users create EMAIL --role admin)",
            settings.base_url.rstrip("/"),
            code,
        )


def configure_logging(settings: Settings) -> None:
    """One format and the level of SURVEY_LOG_LEVEL, in the command and in every server worker."""
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def worker_app() -> Any:
    """The application of one ``survey serve --workers N`` worker, built from the environment.

    uvicorn starts each worker as a fresh process that imports this factory; the parent has exported the
    resolved ``DATABASE_URL``, so no worker starts a database of its own.
    """
    from survey.app import create_app

    settings = Settings.from_environ()
    configure_logging(settings)
    return create_app(settings, database_url=settings.database_url)


UVICORN_OPTIONS: dict[str, Any] = {
    "log_level": "warning",
    "access_log": False,
    # uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1; survey decides whom to believe
    # (SURVEY_TRUSTED_PROXIES, survey/web/security.py:client_address).
    "proxy_headers": False,
    "server_header": False,
    # The application sets Date itself (survey.app.add_date_header), on every reply: not twice.
    "date_header": False,
}


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from survey.app import create_app

    host = args.host or settings.host
    port = args.port or settings.port
    workers = args.workers
    if workers < 1:
        raise SurveyError("--workers must be 1 or more")
    if not 1 <= port <= 65535:
        raise SurveyError(f"--port must be between 1 and 65535, not {port}")
    if args.host or args.port:
        # The options take the place of SURVEY_HOST and SURVEY_PORT, in this process and in the workers
        # (which read the environment), so that the default base URL of links and QR codes follows them.
        os.environ.update(SURVEY_HOST=host, SURVEY_PORT=str(port))
        settings = Settings.from_environ()
    url, database = asyncio.run(
        prepare_serving(
            settings, args.load_forms, demo_respondents=DEMO_RESPONDENTS if args.demo else None
        )
    )
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal with the handler that was in place
    # before it started: make that handler a normal exit, so the embedded database is stopped below.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        logger = logging.getLogger("survey")
        if workers == 1:
            app = create_app(settings, database_url=url)
            logger.info("serving on http://%s:%d", host, port)
            uvicorn.run(app, host=host, port=port, **UVICORN_OPTIONS)
        else:
            # Every worker must find the same database and the same secret key: export the URL this
            # process resolved (it keeps the embedded server running) and create the key file before
            # the workers could race to create it.
            os.environ["DATABASE_URL"] = url
            settings.resolved_secret_key()
            logger.info("serving on http://%s:%d with %d workers", host, port, workers)
            uvicorn.run(
                "survey.cli:worker_app",
                factory=True,
                workers=workers,
                host=host,
                port=port,
                **UVICORN_OPTIONS,
            )
    finally:
        database.stop()
    return 0


# -- parser ----------------------------------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, as every user mistake gets.
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="survey", description="Pre/post campaign surveys with honest effect sizes."
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def command(group: Any, name: str, handler: Any, help: str) -> argparse.ArgumentParser:
        sub = group.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        return sub

    db = commands.add_parser("db", help="database administration").add_subparsers(
        dest="db_command", required=True, parser_class=Parser
    )
    command(db, "migrate", cmd_db_migrate, "apply the numbered SQL migrations")

    forms = commands.add_parser("forms", help="questionnaire files and versions").add_subparsers(
        dest="forms_command", required=True, parser_class=Parser
    )
    check = command(forms, "check", cmd_forms_check, "validate questionnaire files")
    check.add_argument("paths", nargs="+", metavar="PATH")
    publish = command(forms, "publish", cmd_forms_publish, "publish files as immutable versions")
    publish.add_argument("paths", nargs="+", metavar="PATH")
    publish.add_argument(
        "--team",
        default=None,
        metavar="KEY",
        help="a new questionnaire belongs to this team and is kept to it (default: the default team, "
        "shared with every team)",
    )
    command(forms, "list", cmd_forms_list, "list published questionnaires")
    show = command(forms, "show", cmd_forms_show, "print a published version")
    show.add_argument("key")
    show.add_argument("--version", type=int, default=None, help="default: the latest")
    diff = command(forms, "diff", cmd_forms_diff, "compare two versions item by item")
    diff.add_argument("key")
    diff.add_argument("a", type=int, metavar="A")
    diff.add_argument("b", type=int, metavar="B")
    import_xlsform = command(
        forms, "import-xlsform", cmd_forms_import_xlsform, "convert an XLSForm (.xlsx) to YAML"
    )
    import_xlsform.add_argument("file", metavar="FILE.xlsx")
    import_xlsform.add_argument(
        "-o", "--output", default=None, metavar="PATH", help="default: forms/KEY.yaml"
    )
    import_xlsform.add_argument(
        "--language",
        default=None,
        metavar="CODE",
        help="language of a plain label column when settings has no default_language",
    )
    import_xlsform.add_argument("--force", action="store_true", help="replace an existing file")
    export_xlsform = command(
        forms, "export-xlsform", cmd_forms_export_xlsform, "write a questionnaire as an XLSForm"
    )
    export_xlsform.add_argument(
        "key", metavar="KEY", help="a published key, or a forms/*.yaml file"
    )
    export_xlsform.add_argument("--version", type=int, default=None, help="default: the latest")
    export_xlsform.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")

    campaigns = commands.add_parser("campaigns", help="campaigns").add_subparsers(
        dest="campaigns_command", required=True, parser_class=Parser
    )
    create = command(campaigns, "create", cmd_campaigns_create, "create a campaign")
    create.add_argument("key")
    create.add_argument("--questionnaire", required=True, metavar="QKEY")
    create.add_argument("--design", required=True, choices=["independent", "panel", "comparison"])
    create.add_argument("--cluster", default=None, metavar="ITEM", help="item key to cluster by")
    create.add_argument(
        "--team", default="default", metavar="KEY", help="the team it belongs to (default: default)"
    )
    command(campaigns, "list", cmd_campaigns_list, "list campaigns and their waves")

    waves = commands.add_parser("waves", help="pre and post waves").add_subparsers(
        dest="waves_command", required=True, parser_class=Parser
    )
    add = command(waves, "add", cmd_waves_add, "add a wave to a campaign")
    add.add_argument("campaign")
    add.add_argument("--phase", required=True, choices=["pre", "post"])
    add.add_argument("--arm", default="campaign", choices=["campaign", "comparison"])
    add.add_argument("--version", type=int, default=None, help="default: the latest")
    add.add_argument("--key", default=None, help="default: CAMPAIGN-PHASE[-comparison]")
    for name, handler in (("open", cmd_waves_open), ("close", cmd_waves_close)):
        sub = command(waves, name, handler, f"{name} a wave")
        sub.add_argument("key")
    qr = command(waves, "qr", cmd_waves_qr, "write the QR code of a wave's respondent link")
    qr.add_argument("key")
    qr.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.svg or FILE.png")
    field = command(
        waves,
        "field",
        cmd_waves_field,
        "print the wave's field server address (ODK Collect, KoboCollect, Enketo)",
    )
    field.add_argument("key")
    field.add_argument(
        "--enumerator", default=None, metavar="NAME", help="an address of this enumerator's own"
    )
    field.add_argument(
        "--revoke", default=None, metavar="NAME", help="withdraw this enumerator's address"
    )

    users = commands.add_parser("users", help="researcher accounts").add_subparsers(
        dest="users_command", required=True, parser_class=Parser
    )
    user_create = command(
        users, "create", cmd_users_create, "create an account (password prompted)"
    )
    user_create.add_argument("email")
    user_create.add_argument(
        "--role",
        required=True,
        choices=["admin", "researcher", "analyst", "viewer"],
        help="the role in the team; an admin of the default team also administers the installation",
    )
    user_create.add_argument(
        "--team", default="default", metavar="KEY", help="its team (default: default)"
    )
    set_password = command(users, "set-password", cmd_users_set_password, "set a new password")
    set_password.add_argument("email")

    tokens = commands.add_parser("tokens", help="personal API tokens").add_subparsers(
        dest="tokens_command", required=True, parser_class=Parser
    )
    token_create = command(tokens, "create", cmd_tokens_create, "create an API token (shown once)")
    token_create.add_argument("email")
    token_create.add_argument("--name", default="command line", help="what the token is for")
    token_create.add_argument(
        "--scope",
        action="append",
        metavar="SCOPE",
        help="campaigns (questionnaires, campaigns, waves, reports) and/or responses; repeat or join "
        "with commas (default: campaigns)",
    )
    token_create.add_argument(
        "--days",
        type=int,
        default=30,
        metavar="N",
        help="days until it expires (1-365, default 30)",
    )
    token_list = command(tokens, "list", cmd_tokens_list, "list API tokens (never their secret)")
    token_list.add_argument("email", nargs="?", default=None, help="one account's only")
    token_revoke = command(tokens, "revoke", cmd_tokens_revoke, "revoke one API token")
    token_revoke.add_argument("id", type=int, metavar="ID", help="as tokens list shows it")

    teams = commands.add_parser("teams", help="teams and their members").add_subparsers(
        dest="teams_command", required=True, parser_class=Parser
    )
    team_create = command(teams, "create", cmd_teams_create, "create a team")
    team_create.add_argument("key")
    team_create.add_argument("--name", default=None, help="what people call it")
    command(teams, "list", cmd_teams_list, "list teams and their members")
    team_add = command(teams, "add", cmd_teams_add, "add an account to a team, or change its role")
    team_add.add_argument("key", metavar="KEY")
    team_add.add_argument("email", metavar="EMAIL")
    team_add.add_argument(
        "--role", required=True, choices=["admin", "researcher", "analyst", "viewer"]
    )
    team_remove = command(
        teams, "remove", cmd_teams_remove, "take an account out of a team (its API tokens end)"
    )
    team_remove.add_argument("key", metavar="KEY")
    team_remove.add_argument("email", metavar="EMAIL")

    export = command(commands, "export", cmd_export, "export a campaign's responses")
    export.add_argument("campaign")
    export.add_argument("--format", required=True, choices=["csv", "xlsx", "sav", "codebook"])
    export.add_argument(
        "-o", "--output", required=True, metavar="PATH", help="codebook: .csv or .json"
    )
    export.add_argument("--wave", default=None, metavar="KEY", help="one wave only")
    export.add_argument(
        "--include-partial", action="store_true", help="also unfinished and declined responses"
    )
    export.add_argument(
        "--language", default=None, help="language of the labels (default: the first)"
    )

    analyze = command(
        commands, "analyze", cmd_analyze, "a campaign's effects with confidence intervals"
    )
    analyze.add_argument("campaign")
    analyze.add_argument("--format", default="table", choices=["table", "json", "csv"])

    plan = command(
        commands,
        "plan",
        cmd_plan,
        "respondents needed per wave, or the smallest effect a sample can detect",
    )
    plan.add_argument("--design", required=True, choices=["independent", "panel", "comparison"])
    plan.add_argument("--outcome", required=True, choices=["smd", "proportion"])
    plan.add_argument(
        "--effect", type=float, metavar="D", help="smd: the standardised difference to detect"
    )
    plan.add_argument("--p-pre", type=float, metavar="P", help="proportion: expected before")
    plan.add_argument("--p-post", type=float, metavar="Q", help="proportion: expected after")
    plan.add_argument("--power", type=float, default=0.8, help="default 0.8")
    plan.add_argument("--alpha", type=float, default=0.05, help="two-sided, default 0.05")
    plan.add_argument(
        "--correlation",
        type=float,
        metavar="R",
        help="panel: correlation of a respondent's pre and post answers",
    )
    plan.add_argument("--icc", type=float, metavar="I", help="intraclass correlation of clusters")
    plan.add_argument(
        "--cluster-size", type=float, metavar="M", help="mean respondents per cluster and wave"
    )
    plan.add_argument(
        "--detect", action="store_true", help="print the minimum detectable effect for --n"
    )
    plan.add_argument("--n", type=int, metavar="N", help="with --detect: respondents per wave")

    demo = command(
        commands, "demo", cmd_demo, "demo campaigns with synthetic responses and known effects"
    )
    demo.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    demo.add_argument(
        "--respondents",
        type=int,
        default=DEMO_RESPONDENTS,
        metavar="N",
        help=f"per wave (default {DEMO_RESPONDENTS})",
    )

    serve = command(commands, "serve", cmd_serve, "run the web application")
    serve.add_argument("--host", default=None, help="default: $SURVEY_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default: $SURVEY_PORT or 8000")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes (default 1); each builds the app from the environment",
    )
    serve.add_argument(
        "--no-load-forms",
        dest="load_forms",
        action="store_false",
        help="do not publish the shipped forms/ at start",
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help="write the demo campaigns first, as survey demo does (once; ./dev run uses it)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_environ()
    except SurveyError as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        return 1
    configure_logging(settings)
    try:
        result = args.handler(args, settings)
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
        return int(result)
    except InvalidDefinition as exc:
        for error in exc.errors:
            sys.stderr.write(f"error: {error}\n")
        return 1
    except SurveyError as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        sys.stderr.write(
            f"error: {exc.strerror or exc}: {exc.filename or ''}\n".replace(": \n", "\n")
        )
        return 1


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    run()
