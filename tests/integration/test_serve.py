"""`survey serve` as a user runs it: embedded database, shipped forms published, /healthz, clean stop."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import free_port, postgres_running, server_data_dir, wait_for

REPO = Path(__file__).resolve().parents[2]


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
