"""Seconds from ``git clone`` to the first demo report a newcomer can read: ``./dev run`` on a fresh clone.

    python3 benchmarks/first_run.py [--source .] [--port 8765] [--cold] [--keep]

Clones ``--source`` (this checkout by default: commit first, a clone takes what is committed) into a new
temporary directory that has a ``shared`` link beside the clone (as the lead's fresh-clone check lays
it), starts ``./dev run --port PORT`` in it and, while it runs, polls the demo report: it signs in with the
account and password that ``./dev run`` prints, then asks for ``/campaigns/demo-trafficking/report`` until
it answers 200 with the report. Prints every line of the run's output with the second it came, the
total, and how many lines are warnings (those about a folder that the machine's own pip configuration
names are counted apart: the project cannot cause or fix them), and the warnings in the installers' log
that ``./dev`` folds away. ``--cold`` gives pip and uv new, empty caches, as on a machine that never
installed anything; otherwise the machine's caches are used as they are.

Budget (issue 17, item 6; benchmarks/RESULTS.md): the report answers within 60 s of the start, and no
warning comes from the project's own files. Exits 1 when either is missed. Standard library only, so that
it runs before any ``.venv`` exists.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BUDGET_SECONDS = 60.0
REPORT = "/campaigns/demo-trafficking/report"
SHARED = Path("/work/shared")
MACHINE_WARNING = re.compile(
    r"WARNING: Location '[^']+' is ignored: it is neither a file nor a directory"
)


def clone(source: Path, parent: Path) -> Path:
    target = parent / "survey"
    subprocess.run(["git", "clone", "--quiet", str(source), str(target)], check=True)
    if SHARED.is_dir():
        (parent / "shared").symlink_to(SHARED)
    return target


class Output:
    """The run's output lines, each with the second it arrived, read on a thread."""

    def __init__(self, process: subprocess.Popen[str], started: float) -> None:
        self.lines: list[tuple[float, str]] = []
        self._process = process
        self._started = started
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self.lines.append((time.monotonic() - self._started, line.rstrip("\n")))

    def password(self) -> str | None:
        for _, line in self.lines:
            found = re.search(r"password[:\s]+(\S+)", line, re.IGNORECASE)
            if found and "demo@example.org" not in found.group(1):
                return found.group(1)
        return None


def report_answers(base: str, email: str, password: str) -> bool:
    """Sign in (with the sign-in form's CSRF token) and read the report; True when it answers 200."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        page = opener.open(f"{base}/sign-in", timeout=5).read().decode()
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page)
        if token is None:
            return False
        form = urllib.parse.urlencode(
            {"email": email, "password": password, "_csrf_token": token.group(1)}
        ).encode()
        opener.open(f"{base}/sign-in", data=form, timeout=10).read()
        with opener.open(f"{base}{REPORT}", timeout=30) as reply:
            return reply.status == 200 and "demo-trafficking" in reply.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--cold", action="store_true", help="new, empty caches for pip and uv")
    parser.add_argument("--keep", action="store_true", help="keep the clone (it is printed)")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()

    parent = Path(tempfile.mkdtemp(prefix="survey-first-run-"))
    checkout = clone(Path(args.source), parent)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "DATABASE_URL")}
    env.pop("SURVEY_DATA_DIR", None)
    if args.cold:
        # Empty caches of their own, as on a machine that never installed anything.
        env.update(PIP_CACHE_DIR=str(parent / "pip-cache"), UV_CACHE_DIR=str(parent / "uv-cache"))
    base = f"http://127.0.0.1:{args.port}"
    started = time.monotonic()
    process = subprocess.Popen(
        ["./dev", "run", "--port", str(args.port)],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = Output(process, started)
    answered: float | None = None
    try:
        while time.monotonic() - started < args.timeout and process.poll() is None:
            password = output.password()
            if password and report_answers(base, "demo@example.org", password):
                answered = time.monotonic() - started
                break
            time.sleep(0.25)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log = checkout / ".venv" / "install.log"
        install_log = log.read_text().splitlines() if log.exists() else []
        if not args.keep:
            subprocess.run(["rm", "-rf", str(parent)], check=False)

    for at, line in output.lines:
        print(f"{at:7.1f}s | {line}")
    warnings = [line for _, line in output.lines if re.search(r"warn", line, re.IGNORECASE)]
    # pip's complaint about an index folder named in the machine's own pip configuration: not ours.
    machine = [line for line in warnings if MACHINE_WARNING.search(line)]
    ours = [line for line in warnings if line not in machine]
    # What ./dev folds away: the installers' whole output, kept in .venv/install.log.
    hidden = [line for line in install_log if re.search(r"warn", line, re.IGNORECASE)]
    hidden = [line for line in hidden if not MACHINE_WARNING.search(line)]
    cache = "empty (new PIP_CACHE_DIR, UV_CACHE_DIR)" if args.cold else "the machine's, as it is"
    print()
    print(f"installers' caches: {cache}")
    print(
        f"lines of output: {len(output.lines)}; warnings: {len(ours)} from the project, "
        f"{len(machine)} about the machine's pip configuration"
    )
    print(f"warning lines in .venv/install.log, not shown by ./dev: {len(hidden)}")
    for line in hidden:
        print(f"  {line.strip()}")
    if answered is None:
        print(
            f"the report did not answer (the run {'ended' if process.poll() is not None else 'timed out'})"
        )
        return 1
    print(f"first report answered after {answered:.1f} s (budget {BUDGET_SECONDS:.0f} s)")
    if args.keep:
        print(f"clone kept in {checkout}")
    return 0 if answered <= BUDGET_SECONDS and not ours else 1


if __name__ == "__main__":
    sys.exit(main())
