"""No acknowledged answer is lost when the server dies: SIGKILL in the middle of the load, K times.

    python benchmarks/durability.py [--kills 3] [--seconds 30] [--respondents 30] [--workers 2]
                                    [--devices 10]

On loopback only, like ``benchmarks/load.py`` (whose server, waves and respondents it reuses): starts
``survey serve --workers W`` on its own data directory in /tmp, then N respondents complete the
trafficking-knowledge form at once for S seconds of serving. K times during the run, after S/(K+1)
seconds of serving, the server's whole process group (master and workers) is killed with SIGKILL and
started again on the same data directory (the time a restart takes comes on top of S) (the embedded PostgreSQL is another process group and keeps running; the new server
joins it). Meanwhile the respondents retry every request that failed (a refused connection, a dropped
one, a 5xx), each with the same cookie, the same response id and the same answers, for up to
:data:`RETRY_SECONDS`.

Every page save the server acknowledged (a 303 or 200 to a POST) is recorded with the answers sent. At
the end the script reads the responses from PostgreSQL (joining the embedded server exactly as the
application does, ``DATABASE_URL`` unset) and checks that

- every acknowledged save is stored with exactly the answers sent (else it is *lost*),
- no response is duplicated: each stored response is one a respondent started (its id was in a form we
  sent), and no page is recorded twice in one response,
- none mixes two respondents' answers: every stored answer is one its own respondent sent.

The field channel runs beside them: D field devices (ODK Collect, as the OpenRosa protocol has it) send
finished interviews to the waves' field addresses (``survey waves field``), each POST retried with the
same XML until the server answers 201, as a device retries its outbox; after one acknowledgement in
five the device sends the same interview again, as when the reply was lost. It checks that every
acknowledged interview is stored once, under its instanceID, with exactly the answers sent, and that no
field response exists that no device sent.

Each problem is printed with the request, what the server answered and what is stored. The last lines
read ``field: acked=N stored=N duplicates=D lost=L`` and ``acked=N stored=N duplicates=D lost=L`` (the
web pages); the exit status is 1 on any problem. Everything started here is stopped at the end, the
embedded database included.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from load import (
    FORM_HEADERS,
    REQUEST_TIMEOUT,
    Server,
    free_port,
    make_answers,
    make_data_dir,
    make_waves,
    parse_form,
    survey_cli,
    survey_env,
)

from survey.db.pool import connect
from survey.db.server import resolve_database
from survey.settings import Settings
from tests.helpers import fill_instance, multipart_submission

#: How long one request is retried while the server is down or restarting.
RETRY_SECONDS = 120.0
#: Pause between two tries of a failed request.
RETRY_PAUSE = 0.2


@dataclass
class Save:
    """One page as sent: to which response, where, with which answers; and whether it was acknowledged."""

    response_id: str
    action: str
    pairs: list[tuple[str, str]]
    acked: bool = False
    status: int | None = None
    tries: int = 0

    def answers(self) -> dict[str, list[str]]:
        """The answers sent, by question (without the form's own fields such as ``_response_id``)."""
        found: dict[str, list[str]] = {}
        for name, value in self.pairs:
            if not name.startswith("_"):
                found.setdefault(name, []).append(value)
        return found


@dataclass
class Ledger:
    """Everything the respondents sent, and what went wrong on the client's side."""

    saves: list[Save] = field(default_factory=list)
    problems: Counter[str] = field(default_factory=Counter)
    details: list[str] = field(default_factory=list)
    learned: dict[str, tuple[int, int]] = field(default_factory=dict)
    retried: int = 0
    completed: int = 0
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    def problem(self, kind: str, detail: str) -> None:
        self.problems[kind] += 1
        if len(self.details) < 20:
            self.details.append(detail)


async def send(
    client: httpx.AsyncClient, ledger: Ledger, method: str, url: str, body: bytes | None = None
) -> tuple[httpx.Response, int]:
    """The request, tried again (same cookie, same body) until the server answers other than 5xx."""
    started = time.monotonic()
    tries = 0
    while True:
        tries += 1
        try:
            if body is None:
                answer = await client.request(method, url)
            else:
                answer = await client.request(method, url, content=body, headers=FORM_HEADERS)
            if answer.status_code < 500:
                return answer, tries
        except httpx.TransportError:
            pass
        if time.monotonic() - started > RETRY_SECONDS:
            raise TimeoutError(f"{method} {url}: no answer within {RETRY_SECONDS:g} s")
        ledger.retried += 1
        await asyncio.sleep(RETRY_PAUSE)


async def walk(client: httpx.AsyncClient, token: str, rng: random.Random, ledger: Ledger) -> None:
    """One respondent through the form, every failed request retried."""
    client.cookies.clear()
    page, _ = await send(client, ledger, "GET", f"/r/{token}")
    tag = f"{rng.getrandbits(48):012x}"
    while not ledger.stop.is_set():
        if page.status_code not in (200, 422):
            ledger.problem(f"GET {page.status_code}", f"GET {page.url} -> {page.status_code}")
            return
        form = parse_form(page.text)
        if form is None:
            return
        pairs = make_answers(form, rng, tag, ledger.learned)
        save = Save(dict(form.hidden)["_response_id"], form.action, pairs)
        ledger.saves.append(save)
        answer, save.tries = await send(
            client, ledger, "POST", form.action, urlencode(pairs).encode()
        )
        save.status = answer.status_code
        if answer.status_code == 422:
            page = answer  # answered again with the range learnt from the error
            continue
        if answer.status_code not in (200, 303):
            ledger.problem(
                f"POST {answer.status_code}",
                f"POST {form.action} response {save.response_id} try {save.tries} "
                f"-> {answer.status_code}; sent {save.answers()}",
            )
            return
        save.acked = True
        location = answer.headers.get("location", "")
        if location.endswith("/done"):
            ledger.completed += 1
            return
        page, _ = await send(client, ledger, "GET", location)


async def respondent_slot(base_url: str, tokens: Sequence[str], seed: int, ledger: Ledger) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        while not ledger.stop.is_set():
            try:
                await walk(client, rng.choice(tokens), rng, ledger)
            except TimeoutError as exc:
                ledger.problem("gave up", str(exc))
                return


async def killer(server: Server, kills: int, seconds: float, ledger: Ledger) -> list[float]:
    """Kill the server K times and start it again, with S/(K+1) seconds of serving before each kill and
    after the last restart; then tell the respondents to stop. The seconds each restart took."""
    started = time.monotonic()
    segment = seconds / (kills + 1)
    downtimes = []
    for k in range(kills):
        await asyncio.sleep(segment)
        down = time.monotonic()
        await asyncio.to_thread(server.kill)
        await asyncio.to_thread(server.start)
        downtimes.append(time.monotonic() - down)
        print(
            f"kill {k + 1}: SIGKILL at {down - started:.1f} s, "
            f"serving again after {downtimes[-1]:.1f} s"
        )
    await asyncio.sleep(segment)
    ledger.stop.set()
    return downtimes


async def run(
    server: Server,
    tokens: Sequence[str],
    addresses: Sequence[str],
    respondents: int,
    devices: int,
    seconds: float,
    kills: int,
) -> tuple[Ledger, FieldLedger]:
    ledger = Ledger()
    field_ledger = FieldLedger()
    await asyncio.gather(
        killer(server, kills, seconds, ledger),
        *(respondent_slot(server.base_url, tokens, n, ledger) for n in range(respondents)),
        *(device(server.base_url, addresses, n, ledger, field_ledger) for n in range(devices)),
    )
    return ledger, field_ledger


# -- the field channel -----------------------------------------------------------------------------------

FORM_LIST = "{http://openrosa.org/xforms/xformsList}"
#: How often a device sends an acknowledged interview again (its reply lost on the way).
RESEND_SHARE = 0.2


@dataclass
class Interview:
    """One interview as a device sent it, and whether the server acknowledged it (201)."""

    token: str
    instance_id: str
    values: dict[str, str]
    xml: bytes
    acked: bool = False
    tries: int = 0


@dataclass
class FieldLedger:
    interviews: list[Interview] = field(default_factory=list)
    problems: Counter[str] = field(default_factory=Counter)
    details: list[str] = field(default_factory=list)
    resent: int = 0

    def problem(self, kind: str, detail: str) -> None:
        self.problems[kind] += 1
        if len(self.details) < 20:
            self.details.append(detail)


def field_tokens(data_dir: Path, prefix: str) -> list[str]:
    """The field address token of every wave the benchmark made (``survey waves field``)."""
    keys = [
        line.split()[0]
        for line in survey_cli(data_dir, "campaigns", "list").splitlines()
        if line.startswith("  ") and line.split()[0].startswith(prefix)
    ]
    return [survey_cli(data_dir, "waves", "field", key).strip().rsplit("/", 1)[-1] for key in keys]


async def fetch_xform(client: httpx.AsyncClient, ledger: Ledger, token: str) -> bytes:
    """The wave's XForm, found as a device finds it: the form list, then its download address."""
    listed, _ = await send(client, ledger, "GET", f"/field/{token}/formList")
    url = ET.fromstring(listed.content).findtext(f"{FORM_LIST}xform/{FORM_LIST}downloadUrl") or ""
    found, _ = await send(client, ledger, "GET", f"/field/{token}/{url.rsplit('/', 1)[-1]}")
    return found.content


def interview_values(rng: random.Random) -> dict[str, str]:
    """Answers of a finished trafficking-knowledge interview, every rule kept."""
    return {
        "consent": "OK",
        "age": str(rng.randint(18, 27)),
        "aimag": rng.choice(["uvs", "khovd", "bulgan", "darkhan-uul"]),
        "a_tell_family": str(rng.randint(1, 5)),
        "a_shame": str(rng.randint(1, 5)),
    }


async def post_interview(
    client: httpx.AsyncClient, web: Ledger, interview: Interview
) -> httpx.Response:
    """POST an interview until the server answers other than 5xx or 429, as a device retries."""
    body, content_type = multipart_submission(interview.xml)
    started = time.monotonic()
    while True:
        interview.tries += 1
        try:
            answer = await client.post(
                f"/field/{interview.token}/submission",
                content=body,
                headers={"content-type": content_type, "x-openrosa-version": "1.0"},
            )
            if answer.status_code < 500 and answer.status_code != 429:
                return answer
        except httpx.TransportError:
            pass
        if time.monotonic() - started > RETRY_SECONDS:
            raise TimeoutError(
                f"POST {interview.instance_id}: no answer within {RETRY_SECONDS:g} s"
            )
        web.retried += 1
        await asyncio.sleep(RETRY_PAUSE)


async def device(
    base_url: str, tokens: Sequence[str], seed: int, web: Ledger, ledger: FieldLedger
) -> None:
    """One field device: interviews one after another, each sent until acknowledged."""
    rng = random.Random(10_000 + seed)
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        xforms = {token: await fetch_xform(client, web, token) for token in tokens}
        while not web.stop.is_set():
            token = rng.choice(tokens)
            values = interview_values(rng)
            instance_id = f"uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}"
            interview = Interview(
                token,
                instance_id,
                values,
                fill_instance(xforms[token], values, instance_id=instance_id),
            )
            ledger.interviews.append(interview)
            try:
                answer = await post_interview(client, web, interview)
                if answer.status_code == 201 and rng.random() < RESEND_SHARE:
                    ledger.resent += 1
                    answer = await post_interview(client, web, interview)
            except TimeoutError as exc:
                ledger.problem("gave up", str(exc))
                return
            if answer.status_code != 201:
                ledger.problem(
                    f"POST {answer.status_code}",
                    f"POST interview {instance_id} try {interview.tries} -> {answer.status_code}: "
                    f"{answer.text[:200]}",
                )
                return
            interview.acked = True
            await asyncio.sleep(rng.uniform(0, 0.2))


def check_field(ledger: FieldLedger, rows: Sequence[dict]) -> Verdict:
    """Every acknowledged interview stored once with its answers; no field response no device sent."""
    verdict = Verdict()
    by_instance: dict[str, list[dict]] = {}
    for row in rows:
        by_instance.setdefault(row["instance_id"] or "", []).append(row)
    sent = {interview.instance_id for interview in ledger.interviews}
    for interview in ledger.interviews:
        if not interview.acked:
            continue
        verdict.acked += 1
        stored = by_instance.get(interview.instance_id, [])
        expected = {
            "consent": "yes",
            **{k: v for k, v in interview.values.items() if k != "consent"},
        }
        wrong = {
            key: (value, stored[0]["answers"].get(key) if stored else None)
            for key, value in expected.items()
            if not stored or str(stored[0]["answers"].get(key)) != value
        }
        if wrong:
            verdict.lost += 1
            verdict.lines.append(
                f"field lost: interview {interview.instance_id} acknowledged (try {interview.tries}); "
                f"sent vs stored: {wrong}"
            )
        else:
            verdict.stored += 1
    for instance_id, stored in by_instance.items():
        if instance_id not in sent:
            verdict.duplicates += len(stored)
            verdict.lines.append(f"field duplicate: {len(stored)} response(s) no device sent")
        elif len(stored) > 1:
            verdict.duplicates += len(stored) - 1
            verdict.lines.append(
                f"field duplicate: interview {instance_id} stored {len(stored)} times"
            )
    return verdict


async def stored_field(data_dir: Path, tokens: Sequence[str]) -> list[dict]:
    """The field responses of the benchmark's waves, each with the instanceID it was received under."""
    return await read_rows(
        data_dir,
        "SELECT r.id, r.answers, i.instance_id FROM response r "
        "JOIN wave w ON w.id = r.wave_id "
        "LEFT JOIN field_instance i ON i.response_id = r.id "
        "JOIN field_key k ON k.wave_id = w.id AND k.enumerator IS NULL "
        "WHERE r.channel = 'field' AND k.token = ANY($1::text[])",
        tokens,
    )


# -- the check ---------------------------------------------------------------------------------------


@dataclass
class Verdict:
    acked: int = 0
    stored: int = 0
    duplicates: int = 0
    lost: int = 0
    mixed: int = 0
    lines: list[str] = field(default_factory=list)


def _same(stored: object, sent: list[str]) -> bool:
    """A stored answer (typed JSON) against the form values sent for it."""
    if isinstance(stored, list):
        return sorted(str(v) for v in stored) == sorted(sent)
    return len(sent) == 1 and str(stored) == sent[0]


def check(ledger: Ledger, rows: Sequence[dict]) -> Verdict:
    """Compare what the server acknowledged with what PostgreSQL holds."""
    verdict = Verdict()
    stored_by_id = {str(row["id"]): row for row in rows}
    sent_by_id: dict[str, list[Save]] = {}
    for save in ledger.saves:
        sent_by_id.setdefault(save.response_id, []).append(save)

    for save in ledger.saves:
        if not save.acked:
            continue
        verdict.acked += 1
        row = stored_by_id.get(save.response_id)
        if row is None:
            verdict.lost += 1
            verdict.lines.append(
                f"lost: POST {save.action} response {save.response_id} answered {save.status} "
                f"(try {save.tries}); no such response stored"
            )
            continue
        wrong = {
            key: (values, row["answers"].get(key))
            for key, values in save.answers().items()
            if not _same(row["answers"].get(key), values)
        }
        if wrong:
            verdict.lost += 1
            verdict.lines.append(
                f"lost: POST {save.action} response {save.response_id} answered {save.status} "
                f"(try {save.tries}); sent vs stored: {wrong}"
            )
        else:
            verdict.stored += 1

    for response_id, row in stored_by_id.items():
        saves = sent_by_id.get(response_id)
        if saves is None:
            verdict.duplicates += 1
            verdict.lines.append(f"duplicate: response {response_id} was started by no respondent")
            continue
        pages = list(row["pages"])
        if len(pages) != len(set(pages)):
            verdict.duplicates += 1
            verdict.lines.append(f"duplicate: response {response_id} lists a page twice: {pages}")
        for key, value in row["answers"].items():
            if not any(key in s.answers() and _same(value, s.answers()[key]) for s in saves):
                verdict.mixed += 1
                verdict.lines.append(
                    f"mixed: response {response_id} stores {key}={value!r}, which its respondent "
                    "never sent"
                )
    return verdict


async def read_rows(data_dir: Path, query: str, tokens: Sequence[str]) -> list[dict]:
    """Rows of ``query`` (its $1: the tokens), read from the embedded server the way the application
    finds it."""
    settings = Settings.from_environ(survey_env(data_dir))
    database = await resolve_database(settings)
    try:
        conn = await connect(database.url)
        try:
            rows = await conn.fetch(query, list(tokens))
        finally:
            await conn.close()
    finally:
        database.stop()
    return [dict(row) for row in rows]


async def stored_responses(data_dir: Path, tokens: Sequence[str]) -> list[dict]:
    """The benchmark's web responses."""
    return await read_rows(
        data_dir,
        "SELECT r.id, r.answers, r.pages FROM response r JOIN wave w ON w.id = r.wave_id "
        "WHERE w.token = ANY($1::text[]) AND r.channel = 'web'",
        tokens,
    )


def stop_embedded(pgdata: Path, timeout: float = 30.0) -> None:
    """Stop the embedded PostgreSQL we started in ``pgdata`` if it still runs.

    The server stops with the last process that joined it, but a process killed with SIGKILL never
    leaves; SIGINT is PostgreSQL's own "fast shutdown".
    """
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return
    try:
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, signal.SIGINT)
    except (ProcessLookupError, ValueError, IndexError):
        return
    deadline = time.monotonic() + timeout
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)


# -- main --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs during the run (default 3)")
    parser.add_argument("--seconds", type=float, default=30.0, help="of load (default 30)")
    parser.add_argument("--respondents", type=int, default=30, help="at once (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="of survey serve (default 2)")
    parser.add_argument(
        "--waves", type=int, default=4, help="open waves to spread over (default 4)"
    )
    parser.add_argument(
        "--devices", type=int, default=10, help="field devices sending interviews (default 10)"
    )
    args = parser.parse_args(argv)
    if not (0 <= args.kills <= 20 and 0 < args.seconds <= 600 and 0 < args.respondents <= 1000):
        parser.error("--kills must be in 0..20, --seconds in (0, 600], --respondents in 1..1000")
    if not 0 <= args.devices <= 200:
        parser.error("--devices must be in 0..200")

    root = make_data_dir("survey-durability-")
    server = Server(root / "data", free_port(), args.workers, root / "serve.log")
    ok = False
    try:
        server.start()
        tokens = make_waves(server.data_dir, args.waves, prefix="durable")
        addresses = field_tokens(server.data_dir, "durable")
        print(
            f"survey serve --workers {args.workers}; {args.respondents} respondents and "
            f"{args.devices} field devices for {args.seconds:g} s on {len(tokens)} waves; "
            f"{args.kills} SIGKILLs"
        )
        ledger, field_ledger = asyncio.run(
            run(server, tokens, addresses, args.respondents, args.devices, args.seconds, args.kills)
        )
        rows = asyncio.run(stored_responses(server.data_dir, tokens))
        verdict = check(ledger, rows)
        field_verdict = check_field(
            field_ledger, asyncio.run(stored_field(server.data_dir, addresses))
        )
        retried_saves = sum(1 for save in ledger.saves if save.acked and save.tries > 1)
        print(
            f"sent {len(ledger.saves)} pages ({retried_saves} acknowledged only after a retry), "
            f"{ledger.retried} retried requests, {ledger.completed} forms completed; "
            f"{len(rows)} responses stored"
        )
        for kind, count in ledger.problems.items():
            print(f"client problem: {kind} x{count}")
        for line in ledger.details + verdict.lines[:50]:
            print(line)
        retried_interviews = sum(1 for i in field_ledger.interviews if i.acked and i.tries > 1)
        print(
            f"field: sent {len(field_ledger.interviews)} interviews ({retried_interviews} "
            f"acknowledged only after a retry, {field_ledger.resent} sent again after their "
            "acknowledgement)"
        )
        for kind, count in field_ledger.problems.items():
            print(f"field device problem: {kind} x{count}")
        for line in field_ledger.details + field_verdict.lines[:50]:
            print(line)
        print(f"mixed={verdict.mixed}")
        print(
            f"field: acked={field_verdict.acked} stored={field_verdict.stored} "
            f"duplicates={field_verdict.duplicates} lost={field_verdict.lost}"
        )
        print(
            f"acked={verdict.acked} stored={verdict.stored} "
            f"duplicates={verdict.duplicates} lost={verdict.lost}"
        )
        ok = not (
            verdict.lost
            or verdict.duplicates
            or verdict.mixed
            or ledger.problems
            or field_verdict.lost
            or field_verdict.duplicates
            or field_ledger.problems
        )
    finally:
        server.stop()
        stop_embedded(server.data_dir / "pg")
        if ok:
            shutil.rmtree(root, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
