"""The application starts on a real database, answers /healthz, serves static files and error pages."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.settings import Settings


async def test_healthz_reports_the_database(settings: Settings) -> None:
    async with AsyncTestClient(create_app(settings, database_url=settings.database_url)) as client:
        response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_static_files_are_cached_for_long_and_pages_are_compressed(
    settings: Settings,
) -> None:
    from survey.web.static import static_url

    async with AsyncTestClient(create_app(settings, database_url=settings.database_url)) as client:
        url = static_url("css/survey.css")
        response = await client.get(url, headers={"accept-encoding": "gzip"})
        missing = await client.get("/no/such/page", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    assert "max-age=31536000" in response.headers["cache-control"]
    assert missing.status_code == 404
    assert "<html" in missing.text


async def test_the_home_page_leads_to_the_console(settings: Settings) -> None:
    async with AsyncTestClient(create_app(settings, database_url=settings.database_url)) as client:
        response = await client.get("/", follow_redirects=False)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"] == "/console"
