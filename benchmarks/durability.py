"""No acknowledged answer is lost when the server dies: SIGKILL in the middle of the load, K times.

    python benchmarks/durability.py [--kills 3] [--seconds 30] [--respondents 30] [--workers 2]

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

Each problem is printed with the request, what the server answered and what is stored. The last line
reads ``acked=N stored=N duplicates=D lost=L``; the exit status is 1 on any problem. Everything started
here is stopped at the end, the embedded database included.
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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (
    FORM_HEADERS,
    REQUEST_TIMEOUT,
    Server,
    free_port,
    make_answers,
    make_data_dir,
    make_waves,
    parse_form,
    survey_env,
)

from survey.db.pool import connect
from survey.db.server import resolve_database
from survey.settings import Settings

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
    server: Server, tokens: Sequence[str], respondents: int, seconds: float, kills: int
) -> Ledger:
    ledger = Ledger()
    await asyncio.gather(
        killer(server, kills, seconds, ledger),
        *(respondent_slot(server.base_url, tokens, n, ledger) for n in range(respondents)),
    )
    return ledger


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


async def stored_responses(data_dir: Path, tokens: Sequence[str]) -> list[dict]:
    """The benchmark's responses, read from the embedded server the way the application finds it."""
    settings = Settings.from_environ(survey_env(data_dir))
    database = await resolve_database(settings)
    try:
        conn = await connect(database.url)
        try:
            rows = await conn.fetch(
                "SELECT r.id, r.answers, r.pages FROM response r JOIN wave w ON w.id = r.wave_id "
                "WHERE w.token = ANY($1::text[])",
                list(tokens),
            )
        finally:
            await conn.close()
    finally:
        database.stop()
    return [dict(row) for row in rows]


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
    args = parser.parse_args(argv)
    if not (0 <= args.kills <= 20 and 0 < args.seconds <= 600 and 0 < args.respondents <= 1000):
        parser.error("--kills must be in 0..20, --seconds in (0, 600], --respondents in 1..1000")

    root = make_data_dir("survey-durability-")
    server = Server(root / "data", free_port(), args.workers, root / "serve.log")
    ok = False
    try:
        server.start()
        tokens = make_waves(server.data_dir, args.waves, prefix="durable")
        print(
            f"survey serve --workers {args.workers}; {args.respondents} respondents for "
            f"{args.seconds:g} s on {len(tokens)} waves; {args.kills} SIGKILLs"
        )
        ledger = asyncio.run(run(server, tokens, args.respondents, args.seconds, args.kills))
        rows = asyncio.run(stored_responses(server.data_dir, tokens))
        verdict = check(ledger, rows)
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
        print(f"mixed={verdict.mixed}")
        print(
            f"acked={verdict.acked} stored={verdict.stored} "
            f"duplicates={verdict.duplicates} lost={verdict.lost}"
        )
        ok = not (verdict.lost or verdict.duplicates or verdict.mixed or ledger.problems)
    finally:
        server.stop()
        stop_embedded(server.data_dir / "pg")
        if ok:
            shutil.rmtree(root, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
