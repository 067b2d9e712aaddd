"""`survey serve` as a user runs it: embedded database, shipped forms published, /healthz, clean stop."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import server_data_dir

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float, process: subprocess.Popen, log_path: Path) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early: {log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def postgres_running(data_dir: Path) -> bool:
    pid_file = data_dir / "pg" / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_serve_on_the_embedded_database_and_stop_cleanly(tmp_path: Path) -> None:
    port = free_port()
    data_dir = server_data_dir() / "data"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SURVEY_DATA_DIR=str(data_dir), SURVEY_LOG_LEVEL="INFO", PYTHONWARNINGS="ignore")
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "survey.cli", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    try:
        body = wait_for(f"http://127.0.0.1:{port}/healthz", 60, process, log_path)
        assert b'"database":"ok"' in body
        assert postgres_running(data_dir)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    log = log_path.read_text()
    assert "GET /healthz 200" in log
    if any((REPO / "forms").glob("*.yaml")):
        assert "published trafficking-knowledge v1" in log
    assert not postgres_running(data_dir), "the embedded database outlived the server"
    shutil.rmtree(data_dir.parent, ignore_errors=True)
