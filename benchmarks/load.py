"""Page saves under load: simulated respondents completing a form at once against ``survey serve``.

    python benchmarks/load.py [--seconds 20] [--respondents 50] [--workers 2] [--think 0] [--waves 4]

Everything runs on this machine, on loopback only: the script starts ``survey serve --workers W`` on its
own data directory in /tmp (an embedded PostgreSQL), makes campaigns with open waves of the shipped
trafficking-knowledge questionnaire through the ``survey`` command line, then

1. for S seconds, N simulated respondents (asyncio, one ``httpx.AsyncClient`` each, for its cookie) walk
   through the form at once as a browser without JavaScript does: GET the link, then for each page a
   POST of valid answers (made up from the fields found in the returned HTML), a 303, a GET of the next
   page. A respondent who reaches the thank-you page is replaced by a new one (cookies cleared);
2. for S seconds more, the same N clients call ``GET /healthz`` (a database round trip, nothing else)
   on the same server.

It prints page saves per second (POSTs answered 303), their p50/p95/p99 latency, the trivial route's
rate and the ratio of the two. Budget (benchmarks/RESULTS.md): page-save throughput on 2 cores at least half of the
trivial route's, p95 at most 25 ms at 100 concurrent respondents. The client runs on the same cores as
the server, so both rates include its cost (its CPU time is printed).

By default respondents send each page as soon as the previous one is shown: the server is saturated,
which is what the throughput ratio needs, and the latency is then mostly queueing (N requests always in
flight). ``--think T`` makes each respondent pause a random 0 to 2T seconds before sending a page, as
people do; that measures the latency at N concurrent respondents below saturation.

A wave accepts at most 600 new responses per minute (the rate limit), so the respondents are spread
over several waves (``--waves``; four per campaign: pre/post, campaign/comparison arm); a response
refused for the rate limit is counted and shown.

``benchmarks/durability.py`` reuses :class:`Server`, :func:`make_waves` and :func:`parse_form`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parents[1]
QUESTIONNAIRE = "trafficking-knowledge"
HOST = "127.0.0.1"
FORM_HEADERS = {"content-type": "application/x-www-form-urlencoded"}
RATIO_BUDGET = 0.5
P95_BUDGET_MS = 25.0
#: Each request may take this long before it counts as failed; every loop here is bounded in time.
REQUEST_TIMEOUT = 30.0


# -- the server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def make_data_dir(prefix: str) -> Path:
    """A fresh directory in /tmp the embedded server's system user can traverse (it runs as another user
    when we are root)."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    root.chmod(0o755)
    return root


def survey_env(data_dir: Path) -> dict[str, str]:
    """The environment of every ``survey`` command here: the embedded database in ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SURVEY_DATA_DIR=str(data_dir), SURVEY_LOG_LEVEL="WARNING", PYTHONWARNINGS="ignore")
    return env


def survey_cli(data_dir: Path, *args: str) -> str:
    """Run one ``survey`` command on the benchmark's data directory; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "survey.cli", *args],
        cwd=REPO,
        env=survey_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"survey {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


class Server:
    """``survey serve`` in its own process group, so that SIGKILL reaches the master and every worker."""

    def __init__(
        self, data_dir: Path, port: int, workers: int, log_path: Path, code: Path = REPO
    ) -> None:
        self.code = (
            code  # the checkout whose ``survey`` serves (another one to compare two versions)
        )
        self.data_dir = data_dir
        self.port = port
        self.workers = workers
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 120.0) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "survey.cli",
                    "serve",
                    "--host",
                    HOST,
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                ],
                cwd=self.code,
                env=survey_env(self.data_dir),
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"survey serve exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"survey serve did not answer within {timeout} s; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL to the whole process group: the master and its workers die at once."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> int | None:
        """SIGTERM (a clean stop that also stops the embedded database); SIGKILL after 60 s."""
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        self.process = None
        return code


def make_waves(data_dir: Path, count: int, prefix: str = "bench") -> list[str]:
    """Create campaigns on the shipped questionnaire with ``count`` open waves; their link tokens.

    Uses the command line, as a researcher would. The questionnaire must be published (``survey serve``
    publishes ``forms/`` when it starts).
    """
    tokens: list[str] = []
    waves = [(phase, arm) for phase in ("pre", "post") for arm in ("campaign", "comparison")]
    campaign_number = 0
    while len(tokens) < count:
        campaign_number += 1
        campaign = f"{prefix}-{campaign_number}"
        survey_cli(
            data_dir,
            "campaigns",
            "create",
            campaign,
            "--questionnaire",
            QUESTIONNAIRE,
            "--design",
            "comparison",
        )
        for phase, arm in waves[: count - len(tokens)]:
            key = f"{campaign}-{phase}" + ("-comparison" if arm == "comparison" else "")
            survey_cli(data_dir, "waves", "add", campaign, "--phase", phase, "--arm", arm)
            printed = survey_cli(data_dir, "waves", "open", key)
            found = re.search(r"/r/([A-Za-z0-9_-]+)", printed)
            if found is None:
                raise RuntimeError(f"no link in the output of survey waves open {key}: {printed}")
            tokens.append(found.group(1))
    return tokens


# -- reading a page ----------------------------------------------------------------------------------


@dataclass
class Field:
    """One question of a page as its controls show it."""

    name: str
    kind: str  # radio, checkbox, select, textarea, or an input type (text, number, date...)
    values: list[str] = field(default_factory=list)  # the options of radio, checkbox and select
    attrs: dict[str, str] = field(default_factory=dict)
    error: str = ""  # the message shown beside it when the page came back with errors


@dataclass
class PageForm:
    """The answer form of a respondent page: where it posts, its hidden fields and its questions."""

    action: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.form: PageForm | None = None
        self.inside = False
        self.select: Field | None = None
        self.errors: dict[str, str] = {}
        self.error_id: str | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attributes}
        if tag == "p" and "error" in attrs.get("class", "").split():
            self.error_id = attrs.get("id", "")
            self.errors[self.error_id] = ""
            return
        if tag == "form" and re.search(r"/p/\d+$", attrs.get("action", "")):
            self.form = PageForm(action=attrs["action"])
            self.inside = True
            return
        if not self.inside or self.form is None:
            return
        name = attrs.get("name", "")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "hidden":
                self.form.hidden.append((name, attrs.get("value", "")))
            elif kind in ("radio", "checkbox"):
                question = self.form.fields.setdefault(name, Field(name, kind, attrs=attrs))
                question.values.append(attrs.get("value", ""))
            elif kind not in ("submit", "button"):
                self.form.fields[name] = Field(name, kind, attrs=attrs)
        elif tag == "textarea" and name:
            self.form.fields[name] = Field(name, "textarea", attrs=attrs)
        elif tag == "select" and name:
            self.select = self.form.fields[name] = Field(name, "select", attrs=attrs)
        elif tag == "option" and self.select is not None and attrs.get("value"):
            self.select.values.append(attrs["value"])

    def handle_data(self, data: str) -> None:
        if self.error_id is not None:
            self.errors[self.error_id] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.error_id = None
        elif tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def parse_form(html: str) -> PageForm | None:
    """The page's answer form, or None (the thank-you page, a message)."""
    parser = _FormParser()
    parser.feed(html)
    if parser.form is not None:
        for question in parser.form.fields.values():
            ids = question.attrs.get("aria-describedby", "").split()
            question.error = " ".join(parser.errors.get(i, "") for i in ids).strip()
    return parser.form


def _number(text: str | None, default: int) -> int:
    try:
        return int(float(text)) if text else default
    except ValueError:
        return default


#: A range in an error message ("Allowed values: 18–27."), in any language.
_RANGE = re.compile(r"(-?\d+)\s*[–-]\s*(-?\d+)")


def make_answers(
    form: PageForm, rng: random.Random, tag: str, learned: dict[str, tuple[int, int]]
) -> list[tuple[str, str]]:
    """Valid answers to every question of the page, read from its controls alone.

    A consent question is accepted (to reach the questions behind it); one box of a multiple choice is
    ticked (never a combination that an exclusive option would forbid); numbers stay within the
    page's min and max; a text answer carries ``tag`` so that it belongs to one respondent only. A
    number field that shows no bounds is learnt from its error message, as a person would: the range
    found there is kept in ``learned`` (shared by all respondents) for the next time.
    """
    for question in form.fields.values():
        found = _RANGE.search(question.error)
        if found:
            learned[question.name] = (int(found.group(1)), int(found.group(2)))
    pairs = list(form.hidden)
    for question in form.fields.values():
        if question.kind in ("radio", "select"):
            if "consent" in question.name and "yes" in question.values:
                value = "yes"
            else:
                value = rng.choice(question.values)
        elif question.kind == "checkbox":
            value = rng.choice(question.values)
        elif question.kind == "date":
            value = f"{rng.randint(1990, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        elif question.kind == "number" or question.attrs.get("inputmode") in ("numeric", "decimal"):
            low = _number(question.attrs.get("min"), 0)
            high = _number(question.attrs.get("max"), low + 100)
            low, high = learned.get(question.name, (low, high))
            value = str(rng.randint(low, max(low, high)))
        else:
            limit = _number(question.attrs.get("maxlength"), 200)
            value = f"answer {tag}"[:limit]
        pairs.append((question.name, value))
    return pairs


# -- respondents -------------------------------------------------------------------------------------


@dataclass
class Stats:
    saves: int = 0  # POSTs answered 303 within the measured window
    requests: int = 0  # every request answered within the window (GETs included)
    completed: int = 0  # respondents who reached the thank-you page
    corrected: int = 0  # pages sent back with an error (422) and answered again
    learned: dict[str, tuple[int, int]] = field(default_factory=dict)  # see make_answers
    latencies: list[float] = field(default_factory=list)  # seconds, of each page save
    problems: Counter[str] = field(default_factory=Counter)


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]


async def walk(
    client: httpx.AsyncClient,
    token: str,
    rng: random.Random,
    stats: Stats,
    deadline: float,
    think: float = 0.0,
) -> None:
    """One respondent: open the link, answer each page until the thank-you page (or the deadline)."""
    client.cookies.clear()
    page = await client.get(f"/r/{token}")
    stats.requests += 1
    tag = f"{rng.getrandbits(48):012x}"
    while time.monotonic() < deadline:
        if page.status_code not in (200, 422):
            stats.problems[f"GET {page.status_code}"] += 1
            return
        form = parse_form(page.text)
        if form is None:
            return
        body = urlencode(make_answers(form, rng, tag, stats.learned)).encode()
        if think:
            # A person reads and answers before sending: uniform around the mean ``think``.
            await asyncio.sleep(rng.uniform(0, 2 * think))
            if time.monotonic() >= deadline:
                return
        started = time.monotonic()
        sent = await client.post(form.action, content=body, headers=FORM_HEADERS)
        finished = time.monotonic()
        if finished > deadline:
            return
        stats.requests += 1
        if sent.status_code == 422:
            stats.corrected += 1
            page = sent
            continue
        if sent.status_code != 303:
            stats.problems[f"POST {sent.status_code}"] += 1
            if sent.status_code == 429:
                await asyncio.sleep(0.5)
            return
        stats.saves += 1
        stats.latencies.append(finished - started)
        location = sent.headers["location"]
        if location.endswith("/done"):
            stats.completed += 1
            return
        page = await client.get(location)
        if time.monotonic() <= deadline:
            stats.requests += 1


async def respondent_slot(
    base_url: str,
    tokens: Sequence[str],
    seed: int,
    stats: Stats,
    deadline: float,
    think: float = 0.0,
) -> None:
    """One simulated browser, answering as one respondent after another until the deadline."""
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        while time.monotonic() < deadline:
            try:
                await walk(client, rng.choice(tokens), rng, stats, deadline, think)
            except httpx.HTTPError as exc:
                stats.problems[type(exc).__name__] += 1
                await asyncio.sleep(0.1)


async def trivial_slot(base_url: str, stats: Stats, deadline: float) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        while time.monotonic() < deadline:
            try:
                answer = await client.get("/healthz")
            except httpx.HTTPError as exc:
                stats.problems[type(exc).__name__] += 1
                await asyncio.sleep(0.1)
                continue
            if time.monotonic() > deadline:
                return
            stats.requests += 1
            if answer.status_code != 200:
                stats.problems[f"GET {answer.status_code}"] += 1


async def run_load(
    base_url: str, tokens: Sequence[str], respondents: int, seconds: float, think: float = 0.0
) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(respondent_slot(base_url, tokens, n, stats, deadline, think) for n in range(respondents))
    )
    return stats


async def run_trivial(base_url: str, clients: int, seconds: float) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(trivial_slot(base_url, stats, deadline) for _ in range(clients)))
    return stats


# -- main --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="of each phase (default 20)")
    parser.add_argument("--respondents", type=int, default=50, help="at once (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="of survey serve (default 2)")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a respondent pauses before sending a page (default 0: as fast as the "
        "server answers, which measures throughput; a few seconds measures latency at that load)",
    )
    parser.add_argument(
        "--waves", type=int, default=4, help="open waves to spread over (default 4)"
    )
    args = parser.parse_args(argv)
    if not (0 < args.seconds <= 600 and 0 < args.respondents <= 2000 and args.workers > 0):
        parser.error("--seconds must be in (0, 600], --respondents in 1..2000, --workers >= 1")

    root = make_data_dir("survey-load-")
    server = Server(root / "data", free_port(), args.workers, root / "serve.log")
    try:
        server.start()
        tokens = make_waves(server.data_dir, args.waves)
        print(
            f"survey serve --workers {args.workers}; {args.respondents} respondents at once on "
            f"{len(tokens)} waves of {QUESTIONNAIRE}, {args.seconds:g} s per phase"
        )
        cpu = time.process_time()
        saves = asyncio.run(
            run_load(server.base_url, tokens, args.respondents, args.seconds, args.think)
        )
        load_cpu = time.process_time() - cpu
        cpu = time.process_time()
        trivial = asyncio.run(run_trivial(server.base_url, args.respondents, args.seconds))
        trivial_cpu = time.process_time() - cpu
    finally:
        code = server.stop()
    if code != 0:
        print(f"warning: survey serve exited with {code}; log in {server.log_path}")
    else:
        shutil.rmtree(root, ignore_errors=True)

    save_rate = saves.saves / args.seconds
    request_rate = saves.requests / args.seconds
    trivial_rate = trivial.requests / args.seconds
    ms = [s * 1000 for s in saves.latencies]
    print(
        f"page saves:      {saves.saves} in {args.seconds:g} s = {save_rate:.1f}/s "
        f"({saves.completed} forms completed, {saves.corrected} pages corrected after 422; "
        f"all requests {request_rate:.1f}/s)"
    )
    print(
        f"save latency:    p50 {percentile(ms, 0.50):.1f} ms  p95 {percentile(ms, 0.95):.1f} ms  "
        f"p99 {percentile(ms, 0.99):.1f} ms  (mean {statistics.fmean(ms) if ms else float('nan'):.1f})"
    )
    print(f"trivial route:   GET /healthz {trivial.requests} = {trivial_rate:.1f}/s")
    print(
        f"client CPU:      {load_cpu:.1f} s during the load, {trivial_cpu:.1f} s during the trivial "
        f"phase (of {args.seconds:g} s each, on the same cores as the server)"
    )
    for name, stats in (("load", saves), ("trivial", trivial)):
        if stats.problems:
            print(
                f"problems ({name}): " + ", ".join(f"{k} x{v}" for k, v in stats.problems.items())
            )
    ratio = save_rate / trivial_rate if trivial_rate else float("nan")
    if args.think:
        print(
            "(with --think the server is not saturated: the ratio below does not measure capacity)"
        )
    print(
        f"ratio page-saves/trivial: {ratio:.2f} (budget >= {RATIO_BUDGET}); "
        f"p95 {percentile(ms, 0.95):.1f} ms (budget <= {P95_BUDGET_MS:g} ms at 100 respondents)"
    )
    return 0 if not saves.problems and not trivial.problems else 1


if __name__ == "__main__":
    sys.exit(main())
