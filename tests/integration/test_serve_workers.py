"""`survey serve --workers 2`: several worker processes on one embedded database, all stopped by SIGTERM;
links made by the workers follow `--port` when SURVEY_BASE_URL is unset."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.helpers import FORMS, free_port, postgres_running, server_data_dir, wait_for


def _gone(pids: list[int], seconds: float) -> list[int]:
    """The pids still alive after waiting up to ``seconds`` for them to exit."""
    deadline = time.monotonic() + seconds
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if psutil.pid_exists(pid) and not _zombie(pid)]
        if alive:
            time.sleep(0.1)
    return alive


def _zombie(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _open_wave_with_field_address(env: dict[str, str], cwd: Path) -> str:
    """An open wave of a new campaign on the data directory's database; the token of its field address."""

    def survey(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "survey.cli", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    survey("forms", "publish", str(FORMS / "trafficking-knowledge.yaml"))
    survey("campaigns", "create", "ports", "--questionnaire", "trafficking-knowledge",
           "--design", "independent")  # fmt: skip
    survey("waves", "add", "ports", "--phase", "pre")
    survey("waves", "open", "ports-pre")
    address = survey("waves", "field", "ports-pre").strip()
    return address.rsplit("/field/", 1)[1]


@pytest.mark.slow
def test_serve_with_two_workers_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    data_dir = server_data_dir() / "data"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SURVEY_BASE_URL", "SURVEY_PORT", "SURVEY_HOST")
    }
    env.update(SURVEY_DATA_DIR=str(data_dir), SURVEY_LOG_LEVEL="INFO", PYTHONWARNINGS="ignore")
    field_token = _open_wave_with_field_address(env, tmp_path)
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "survey.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                "2",
                "--no-load-forms",
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    workers: list[int] = []
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        body = wait_for(url, 60, process, log_path)
        assert b'"database":"ok"' in body
        assert postgres_running(data_dir)
        # uvicorn starts its workers one after the other; the second may not be up at the first answer.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            workers = [
                child.pid
                for child in psutil.Process(process.pid).children(recursive=True)
                if "resource_tracker" not in " ".join(child.cmdline())
            ]
            if len(workers) >= 2:
                break
            time.sleep(0.2)
        assert len(workers) == 2, f"expected 2 worker processes, found {workers}"
        for _ in range(6):
            assert b'"status":"ok"' in wait_for(url, 10, process, log_path)
        # A worker builds the address ODK Collect downloads the form from: on the port served.
        form_list = wait_for(
            f"http://127.0.0.1:{port}/field/{field_token}/formList", 10, process, log_path
        ).decode()
        download = re.search(r"<downloadUrl>([^<]+)</downloadUrl>", form_list)
        assert download is not None, form_list
        assert download.group(1).startswith(f"http://127.0.0.1:{port}/field/{field_token}/")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert _gone(workers, 10) == [], "a worker outlived the server"
    log = log_path.read_text()
    assert "with 2 workers" in log
    assert "GET /healthz 200" in log
    # The set-up address the server prints is on the port it serves, too.
    assert f"open http://127.0.0.1:{port}/setup " in log
    assert not postgres_running(data_dir), "the embedded database outlived the server"
    shutil.rmtree(data_dir.parent, ignore_errors=True)
