"""Page saves against the trivial route, with a load generator lighter than the server (wrk).

    python benchmarks/saves.py [--seconds 15] [--respondents 50] [--workers 2] [--rounds 3]
                               [--waves 12] [--code DIR --code DIR2]

Everything runs on this machine, on loopback only. The script starts ``survey serve --workers W`` on its
own data directory in /tmp (an embedded PostgreSQL), opens waves of the shipped trafficking-knowledge
questionnaire (benchmarks/load.py), learns one set of valid answers per page by walking through the form
once, then runs Debian's ``wrk`` (``apt-get install wrk``) with ``benchmarks/saves.lua``: N connections,
each one respondent after another, reading the response cookie and the form's hidden fields from every
page. Three phases of S seconds each, in turn, for R rounds:

* ``htmx``: each page sent as htmx sends it, one request: the save, answered by the next page's form area;
* ``plain``: as a browser without JavaScript: POST, 303, GET of the next page;
* ``healthz``: ``GET /healthz`` (one ``SELECT 1``) on the same N connections.

For each phase it prints the rate, wrk's latency percentiles (of every request of the phase), the CPU
seconds the server's processes used per page save (or per request of ``/healthz``) and those of
PostgreSQL, read from /proc before and after; and the CPU wrk itself used, which must stay below the
server's for the rates to mean anything. Then the medians over the rounds and the ratios, and the
ratios of CPU per request (``/healthz``'s CPU per request over a save's): what the rate ratios would be
on cores the server has to itself, steadier than the rates when other work shares the machine. Budgets
(benchmarks/RESULTS.md, issue 17): htmx saves at least 0.5 of ``/healthz``, saves without JavaScript at
least 0.33 of it. The exit status is 1 when a budget is missed, or when a phase had failures.

``--code`` twice (two checkouts, for example ``git worktree add`` of the commit before a change) runs
both servers in turn, alternating, and prints the ratios of each: a change measured before and after in
one run, on a machine whose load moves the absolute rates.

The p95 latency at a human pace (100 respondents, each pausing) is measured by ``benchmarks/load.py
--think 2``, where the Python client's cost does not matter.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (
    FORM_HEADERS,
    REPO,
    Server,
    free_port,
    make_answers,
    make_data_dir,
    make_waves,
    parse_form,
)

SCRIPT = Path(__file__).resolve().parent / "saves.lua"
HTMX_BUDGET = 0.5
PLAIN_BUDGET = 0.33
PHASES = ("htmx", "plain", "healthz")
TICKS = os.sysconf("SC_CLK_TCK")


# -- what the server costs ----------------------------------------------------------------------------


def _cpu_seconds(pids: Sequence[int]) -> dict[int, float]:
    """User + system CPU seconds of each of these processes that still runs."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (stat's 14, 15)
    return seconds


def _processes() -> list[tuple[int, int, int, str]]:
    """(pid, parent pid, session id, command line) of every process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found.append((int(entry.name), int(fields[1]), int(fields[3]), command))
    return found


@dataclass
class ServerProcesses:
    """The server's own processes (the master and its workers: its session) and PostgreSQL's (the
    postmaster of the server's data directory and its children), as they are when it is made."""

    app: list[int]
    database: list[int]

    @classmethod
    def of(cls, server: Server) -> ServerProcesses:
        assert server.process is not None
        session = server.process.pid  # started with start_new_session: its pid is the session id
        data = f"-D {server.data_dir}"
        everything = _processes()
        postmasters = {pid for pid, _, _, command in everything if data in command}
        return cls(
            app=[pid for pid, _, sid, _ in everything if sid == session],
            database=[
                pid
                for pid, parent, _, _ in everything
                if pid in postmasters or parent in postmasters
            ],
        )

    def cpu(self) -> tuple[dict[int, float], dict[int, float]]:
        return _cpu_seconds(self.app), _cpu_seconds(self.database)


def _used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between the two readings (a process started since counts from zero)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


# -- answers ------------------------------------------------------------------------------------------


def learn_answers(base_url: str, token: str) -> dict[int, str]:
    """Valid answers to every page of the form (urlencoded, the page's hidden fields left out), found by
    walking through it once as load.py's respondents do (a number's bounds learnt from its error)."""
    import random

    rng = random.Random(17)
    learned: dict[str, tuple[int, int]] = {}
    answers: dict[int, str] = {}
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get(f"/r/{token}")
        for _ in range(100):
            form = parse_form(page.text)
            if form is None:
                return answers
            hidden = {name for name, _ in form.hidden}
            pairs = make_answers(form, rng, "wrk", learned)
            number = int(form.action.rsplit("/", 1)[1])
            sent = client.post(form.action, content=urlencode(pairs).encode(), headers=FORM_HEADERS)
            if sent.status_code == 422:
                page = sent
                continue
            if sent.status_code != 303:
                raise RuntimeError(
                    f"learning the answers: POST {form.action} gave {sent.status_code}"
                )
            answers[number] = urlencode([(k, v) for k, v in pairs if k not in hidden])
            location = sent.headers["location"]
            if location.endswith("/done"):
                return answers
            page = client.get(location)
    raise RuntimeError("learning the answers: the form did not end within 100 pages")


def lua_data(path: Path, tokens: Sequence[str], answers: dict[int, str]) -> None:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["return {", "  tokens = {" + ", ".join(quoted(t) for t in tokens) + "},"]
    lines.append("  answers = {")
    lines += [f"    [{number}] = {quoted(body)}," for number, body in sorted(answers.items())]
    lines += ["  },", "}"]
    path.write_text("\n".join(lines) + "\n")


# -- one phase ----------------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    rate: float  # page saves per second; requests per second for healthz
    p50_ms: float
    p95_ms: float
    app_cpu: float  # seconds of the server's processes per save (per request for healthz)
    database_cpu: float
    wrk_cpu: float  # seconds wrk used during the phase
    server_cpu: float  # seconds the server's and PostgreSQL's processes used during the phase
    problems: str
    completed: int  # forms answered to the end


_RESULT = re.compile(r"^result (.*)$", re.MULTILINE)


def run_phase(name: str, server: Server, data: Path, clients: int, seconds: float) -> Phase:
    command = ["wrk", "-t", str(clients), "-c", str(clients), "-d", f"{seconds:g}s", "--latency"]
    if name == "healthz":
        command += ["-s", str(SCRIPT.with_name("healthz.lua")), f"{server.base_url}/healthz"]
    else:
        command += ["-s", str(SCRIPT), server.base_url, "--", str(data), name]
    app_before, database_before = ServerProcesses.of(server).cpu()
    wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Read again: the pool may have opened connections (new PostgreSQL processes) during the phase.
    app_after, database_after = ServerProcesses.of(server).cpu()
    found = _RESULT.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    result = {k: float(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    count = result["requests"] if name == "healthz" else result["saves"]
    problems = ", ".join(
        f"{key} {int(result[key])}"
        for key in ("invalid", "failed", "errors")
        if result.get(key) and not (key == "errors" and name != "healthz")
    )
    app = _used(app_before, app_after)
    database = _used(database_before, database_after)
    return Phase(
        name=name,
        rate=count / result["seconds"],
        p50_ms=result["p50_ms"],
        p95_ms=result["p95_ms"],
        app_cpu=app / count if count else float("nan"),
        database_cpu=database / count if count else float("nan"),
        wrk_cpu=(wrk_after.ru_utime - wrk_before.ru_utime)
        + (wrk_after.ru_stime - wrk_before.ru_stime),
        server_cpu=app + database,
        problems=problems,
        completed=int(result.get("completed", 0)),
    )


def print_phase(label: str, phase: Phase) -> None:
    unit = "requests" if phase.name == "healthz" else "saves"
    per = "request" if phase.name == "healthz" else "save"
    print(
        f"{label:>10} {phase.name:>8}: {phase.rate:7.1f} {unit}/s  p50 {phase.p50_ms:6.1f} ms  "
        f"p95 {phase.p95_ms:6.1f} ms  CPU per {per}: server {phase.app_cpu * 1000:5.2f} ms + "
        f"PostgreSQL {phase.database_cpu * 1000:5.2f} ms  (wrk {phase.wrk_cpu:4.1f} s, "
        f"server {phase.server_cpu:4.1f} s)"
        + (f"  {phase.completed} forms completed" if phase.name != "healthz" else "")
        + (f"  PROBLEMS: {phase.problems}" if phase.problems else ""),
        flush=True,
    )


# -- main ---------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="of each phase (default 15)")
    parser.add_argument("--respondents", type=int, default=50, help="connections (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="of survey serve (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="of the three phases (default 3)")
    parser.add_argument(
        "--waves",
        type=int,
        default=12,
        help="open waves to spread the new responses over (600 a minute each; default 12)",
    )
    parser.add_argument(
        "--code",
        type=Path,
        action="append",
        help="checkout whose survey serves (default this one); twice to compare two, alternating",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    if not (0 < args.seconds <= 600 and 0 < args.respondents <= 1000 and args.rounds > 0):
        parser.error("--seconds must be in (0, 600], --respondents in 1..1000, --rounds >= 1")
    codes = [c.resolve() for c in (args.code or [REPO])]

    runs: dict[Path, list[dict[str, Phase]]] = {code: [] for code in codes}
    setups = []
    try:
        for code in codes:
            root = make_data_dir("survey-saves-")
            server = Server(root / "data", free_port(), args.workers, root / "serve.log", code=code)
            server.start()
            tokens = make_waves(server.data_dir, args.waves)
            data = root / "data.lua"
            lua_data(data, tokens, learn_answers(server.base_url, tokens[0]))
            setups.append((code, root, server, data))
        print(
            f"survey serve --workers {args.workers}; wrk, {args.respondents} connections "
            f"(respondents); {args.waves} waves of the trafficking-knowledge form; {args.seconds:g} s "
            f"per phase; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
            flush=True,
        )
        for number in range(1, args.rounds + 1):
            for code, _, server, data in setups:
                phases = {}
                for name in PHASES:
                    phases[name] = run_phase(name, server, data, args.respondents, args.seconds)
                    print_phase(
                        f"{number}" + (f" {code.name}" if len(codes) > 1 else ""), phases[name]
                    )
                runs[code].append(phases)
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        for _, root, server, _ in setups:
            if server.stop() == 0:
                shutil.rmtree(root, ignore_errors=True)

    met = True
    for code in codes:
        rounds = runs[code]
        htmx = [r["htmx"].rate / r["healthz"].rate for r in rounds]
        plain = [r["plain"].rate / r["healthz"].rate for r in rounds]
        cpu = {
            name: statistics.median((r[name].app_cpu + r[name].database_cpu) * 1000 for r in rounds)
            for name in PHASES
        }
        label = f"{code}: " if len(codes) > 1 else ""
        print(
            f"{label}median ratio htmx/healthz {statistics.median(htmx):.2f} "
            f"(rounds {', '.join(f'{x:.2f}' for x in htmx)}; budget >= {HTMX_BUDGET}); "
            f"plain/healthz {statistics.median(plain):.2f} "
            f"(rounds {', '.join(f'{x:.2f}' for x in plain)}; budget >= {PLAIN_BUDGET}); "
            f"CPU ms (server + PostgreSQL) per htmx save {cpu['htmx']:.2f}, per plain save "
            f"{cpu['plain']:.2f}, per /healthz {cpu['healthz']:.2f}"
        )
        # What the ratios would be on cores of its own, where the server's CPU is what limits it.
        print(
            f"{label}CPU ratios: htmx {cpu['healthz'] / cpu['htmx']:.2f}, "
            f"plain {cpu['healthz'] / cpu['plain']:.2f}"
        )
        met = met and statistics.median(htmx) >= HTMX_BUDGET
        met = met and statistics.median(plain) >= PLAIN_BUDGET
        if any(p.problems for r in rounds for p in r.values()):
            met = False
        if any(p.wrk_cpu >= p.server_cpu for r in rounds for p in r.values()):
            print(f"{label}warning: wrk used as much CPU as the server in some phase")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
