"""How long a respondent waits while slow clients hold connections to the server.

    python benchmarks/slow_clients.py [--slow 50] [--rounds 10] [--workers 1]

Everything runs on this machine, on loopback only: the script starts ``survey serve`` on its own data
directory in /tmp (an embedded PostgreSQL, the default settings), opens a wave of the shipped
trafficking-knowledge questionnaire, then opens ``--slow`` connections that each start a respondent's
POST, declare a body of 1,000 bytes, send 13 of them and stop (issue 12, finding 1). While they are open
it times, ``--rounds`` times, what a real respondent and a load balancer do: ``GET /healthz``, ``GET``
of the link (the first page) and the ``POST`` of the first page's answers. It prints the median and the
largest of each, then how long the slow connections were kept before their 408.

Budget (issue 12): with 50 slow bodies open, each of the three answers within 1 s. Before the body was
read ahead of any database connection, ten such sockets stalled the pool and every one of them waited
as long as the sockets stayed open.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import sys
import time
from collections.abc import Sequence
from html import unescape
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import HOST, Server, free_port, make_data_dir, make_waves

BUDGET_S = 1.0


def slow_body(port: int, path: str) -> socket.socket:
    sock = socket.create_connection((HOST, port), timeout=5)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    )
    sock.sendall(head.encode() + b"_response_id=")
    return sock


def timed(call, *args, **kwargs) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = call(*args, **kwargs)
    return response, time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=50, help="slow-body connections (default 50)")
    parser.add_argument("--rounds", type=int, default=10, help="timed rounds (default 10)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    args = parser.parse_args(argv)

    data_dir = make_data_dir("survey-slow-")
    port = free_port()
    server = Server(data_dir, port, args.workers, data_dir / "serve.log")
    try:
        server.start()
        (token,) = make_waves(data_dir, 1, prefix="slow")
        link = f"{server.base_url}/r/{token}"
        slow = [slow_body(port, f"/r/{token}/p/1") for _ in range(args.slow)]
        opened = time.monotonic()
        time.sleep(0.5)
        times: dict[str, list[float]] = {
            "GET /healthz": [],
            "GET first page": [],
            "POST answers": [],
        }
        with httpx.Client(timeout=30, follow_redirects=False) as client:
            for _ in range(args.rounds):
                health, took = timed(client.get, f"{server.base_url}/healthz")
                assert health.status_code == 200, health.status_code
                times["GET /healthz"].append(took)
                client.cookies.clear()
                first, took = timed(client.get, link)
                assert first.status_code == 200, first.status_code
                times["GET first page"].append(took)
                response_id = re.findall(r'name="_response_id" value="([^"]+)"', first.text)[0]
                action = unescape(
                    re.findall(r'<form method="post" action="([^"]+)"', first.text)[0]
                )
                saved, took = timed(
                    client.post,
                    server.base_url + action,
                    data={"_response_id": response_id, "consent": "yes"},
                )
                assert saved.status_code == 303, saved.status_code
                times["POST answers"].append(took)
        print(
            f"{args.slow} slow-body connections open, {args.rounds} rounds, {args.workers} worker(s)"
        )
        worst = 0.0
        for what, values in times.items():
            worst = max(worst, max(values))
            print(
                f"  {what:<16} median {statistics.median(values) * 1000:7.1f} ms"
                f"   max {max(values) * 1000:7.1f} ms"
            )
        kept = []
        for sock in slow:
            sock.settimeout(60)
            status = sock.recv(64).split(b"\r\n", 1)[0].decode()
            kept.append((time.monotonic() - opened, status))
            sock.close()
        statuses = sorted({s for _, s in kept})
        print(
            f"  slow connections answered {', '.join(statuses)} after {max(t for t, _ in kept):.1f} s"
        )
        print(f"budget: each within {BUDGET_S:.0f} s: {'met' if worst < BUDGET_S else 'NOT MET'}")
        return 0 if worst < BUDGET_S else 1
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
