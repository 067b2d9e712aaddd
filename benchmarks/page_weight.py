"""Bytes over the wire of the respondent pages, compressed as a browser receives them.

    python benchmarks/page_weight.py [forms/NAME.yaml ...]      (default: every file in forms/)

For each questionnaire this starts nothing but an embedded PostgreSQL in a temporary directory, publishes
the questionnaire, opens a wave, and requests the pages from the application in-process (litestar's test
client, ``Accept-Encoding: gzip``), counting what the server sends: status line, headers and the body
as compressed. It reports

- the **first page** (the welcome page, the link a respondent opens) with every asset it loads (the
  stylesheet and htmx), as a first visit with an empty cache: budget 30 KB;
- every **following page**, answered in turn to the end, both as the full page (JavaScript off: the
  redirect and the page) and as the htmx answer (only the form area): budget 5 KB each, the largest shown.

The exit status is 1 when a budget is exceeded. ``measure`` is also used by the test suite.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

FIRST_PAGE_BUDGET = 30 * 1024
FOLLOWING_PAGE_BUDGET = 5 * 1024
GZIP = {"accept-encoding": "gzip"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


@dataclass
class Weights:
    """Bytes on the wire. ``following`` maps each following page's URL to (full page, htmx answer)."""

    first_page: int
    assets: dict[str, int]
    following: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def first_total(self) -> int:
        return self.first_page + sum(self.assets.values())

    @property
    def heaviest_following(self) -> tuple[str, int]:
        if not self.following:
            return ("", 0)
        url, sizes = max(self.following.items(), key=lambda kv: max(kv[1]))
        return url, max(sizes)

    def within_budget(self) -> bool:
        return (
            self.first_total <= FIRST_PAGE_BUDGET
            and self.heaviest_following[1] <= FOLLOWING_PAGE_BUDGET
        )


def wire_bytes(response) -> int:
    """Status line, headers and body as sent (the body still compressed)."""
    status_line = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
    headers = sum(len(k) + len(v) + 4 for k, v in response.headers.raw)
    return len(status_line.encode()) + headers + 2 + response.num_bytes_downloaded


def _answers(q, html: str) -> list[tuple[str, str]]:
    """Valid answers to the questions on a rendered page, made up from the questionnaire."""
    pairs = [
        (name, value)
        for name, value in re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', html)
    ]
    names: list[str] = []
    for name in re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([a-z][a-z0-9_]*)"', html):
        if name not in names:
            names.append(name)
    for name in names:
        item = q.item(name)
        kind = item.type
        if kind in ("choice", "multi"):
            value = q.choices_for(item)[0].value
        elif kind == "likert":
            value = "1"
        elif kind == "consent":
            value = "yes"
        elif kind in ("integer", "decimal"):
            value = str(item.min if item.min is not None else 1)
        elif kind == "date":
            value = str(item.min or "2000-01-01")
        elif kind == "panel_code":
            value = "AB01C"
        else:
            value = "ok"
        pairs.append((name, value))
    return pairs


async def measure(client, token: str, q) -> Weights:
    """Weigh the first page with its assets and every following page of one walk through the form.

    ``client`` is a litestar ``AsyncTestClient`` of the application; its cookies are cleared first.
    """
    client.cookies.clear()
    first = await client.get(f"/r/{token}", headers=GZIP)
    assets = {}
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', first.text):
        assets[url] = wire_bytes(await client.get(url, headers=GZIP))
    weights = Weights(first_page=wire_bytes(first), assets=assets)
    html = first.text
    while True:
        action = re.search(r'<form method="post" action="([^"]+/p/\d+)"', html)
        if action is None:
            return weights
        body = urlencode(_answers(q, html)).encode()
        plain = await client.post(
            action.group(1), content=body, headers={**FORM, **GZIP}, follow_redirects=False
        )
        location = plain.headers["location"]
        page = await client.get(location, headers=GZIP)
        htmx = await client.post(
            action.group(1),
            content=body,
            headers={**FORM, **GZIP, "HX-Request": "true"},
            follow_redirects=False,
        )
        weights.following[location] = (wire_bytes(plain) + wire_bytes(page), wire_bytes(htmx))
        html = page.text


def report(name: str, weights: Weights) -> str:
    url, heaviest = weights.heaviest_following
    assets = ", ".join(f"{u.split('?')[0]} {n:,} B" for u, n in weights.assets.items())
    lines = [
        f"{name}",
        f"  first page with assets  {weights.first_total:>7,} B   (budget {FIRST_PAGE_BUDGET:,})"
        f"   page {weights.first_page:,} B; {assets}",
        f"  heaviest following page {heaviest:>7,} B   (budget {FOLLOWING_PAGE_BUDGET:,})   {url}",
    ]
    for page_url, (full, fragment) in weights.following.items():
        short = "/".join(page_url.rsplit("/", 2)[-2:])
        lines.append(f"    {short:28} full {full:>6,} B   htmx {fragment:>6,} B")
    return "\n".join(lines)


async def _run(paths: Sequence[Path]) -> bool:
    from litestar.testing import AsyncTestClient

    from survey.app import create_app
    from survey.db import campaigns
    from survey.db.migrate import migrate
    from survey.db.pool import connect
    from survey.db.questionnaires import publish
    from survey.db.server import ensure_database_exists, start_embedded, with_database
    from survey.questionnaire.load import load_file
    from survey.settings import Settings

    for name in ("survey.request", "httpx"):  # one line per request is noise here
        logging.getLogger(name).setLevel(logging.WARNING)
    ok = True
    with tempfile.TemporaryDirectory(prefix="survey-weight-") as tmp:
        server = start_embedded(Path(tmp), cleanup_mode="delete")
        try:
            await ensure_database_exists(server.get_uri("postgres"), "weight")
            url = with_database(server.get_uri("postgres"), "weight")
            conn = await connect(url)
            tokens = []
            try:
                await migrate(conn)
                for number, path in enumerate(paths):
                    q = load_file(path)
                    await publish(conn, q)
                    await campaigns.create_campaign(
                        conn, f"weight-{number}", questionnaire=q.key, design="independent"
                    )
                    wave = await campaigns.add_wave(conn, f"weight-{number}", phase="pre")
                    await campaigns.set_wave_status(conn, wave.key, "open")
                    tokens.append((path, q, wave.token))
            finally:
                await conn.close()
            settings = Settings(database_url=url, data_dir=Path(tmp) / "data", secret_key="x" * 32)
            async with AsyncTestClient(create_app(settings, database_url=url)) as client:
                for path, q, token in tokens:
                    weights = await measure(client, token, q)
                    sys.stdout.write(report(path.name, weights) + "\n")
                    ok = ok and weights.within_budget()
        finally:
            server.cleanup()
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(__file__).resolve().parents[1]
    paths = [Path(a) for a in args] or sorted((root / "forms").glob("*.yaml"))
    ok = asyncio.run(_run(paths))
    sys.stdout.write("within budget\n" if ok else "OVER BUDGET\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
