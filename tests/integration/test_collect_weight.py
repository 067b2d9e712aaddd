"""The page-weight budgets (first page with its assets ≤ 30 KB, each following page ≤ 5 KB, gzip on the
wire), measured by benchmarks/page_weight.py on every shipped questionnaire. Bytes, not time: the
result does not depend on the machine."""

from __future__ import annotations

import importlib.util
import sys

import asyncpg
from litestar.testing import AsyncTestClient

from survey.questionnaire.load import load_file
from tests.helpers import REPO, SHIPPED, open_wave


def _benchmark():
    spec = importlib.util.spec_from_file_location(
        "page_weight", REPO / "benchmarks" / "page_weight.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


page_weight = _benchmark()


async def test_pages_stay_within_their_weight_budgets(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    assert SHIPPED, "no shipped questionnaire to weigh"
    for number, path in enumerate(SHIPPED):
        wave = await open_wave(db, path, campaign=f"weight-{number}")
        weights = await page_weight.measure(client, wave.token, load_file(path))
        report = page_weight.report(path.name, weights)
        # The first page really loads its stylesheet and htmx, compressed.
        assert {url.split("?")[0] for url in weights.assets} == {
            "/static/css/survey.css",
            "/static/js/htmx.min.js",
        }
        assert weights.assets[next(u for u in weights.assets if "htmx" in u)] < 20_000, report
        assert weights.following, report
        assert weights.first_total <= page_weight.FIRST_PAGE_BUDGET, report
        assert weights.heaviest_following[1] <= page_weight.FOLLOWING_PAGE_BUDGET, report
