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


async def test_error_pages_speak_the_language_the_request_asks_for(settings: Settings) -> None:
    from survey.web.messages import CATALOGUE
    from tests.helpers import english_left

    async with AsyncTestClient(create_app(settings, database_url=settings.database_url)) as client:
        mongolian = await client.get("/no/such/page", headers={"accept": "text/html"})
        english = await client.get("/no/such/page?lang=en", headers={"accept": "text/html"})
    assert mongolian.status_code == english.status_code == 404
    assert '<html lang="mn">' in mongolian.text
    assert CATALOGUE.translate("error_title.404", "mn") in mongolian.text
    assert english_left(mongolian.text, CATALOGUE) == []
    assert '<html lang="en">' in english.text
    assert CATALOGUE.translate("error_title.404", "en") in english.text
    assert CATALOGUE.translate("error_title.404", "mn") not in english.text


def test_an_error_reason_written_in_english_is_marked_as_english_on_a_mongolian_page() -> None:
    from litestar import Litestar, get
    from litestar.testing import TestClient

    from survey.errors import NotFound
    from survey.web.errors import EXCEPTION_HANDLERS
    from survey.web.templates import template_config

    @get("/thing")
    async def thing() -> str:
        raise NotFound('no campaign "x"')

    app = Litestar(
        [thing], exception_handlers=EXCEPTION_HANDLERS, template_config=template_config()
    )
    with TestClient(app) as client:
        reason = client.get("/thing", headers={"accept": "text/html"})
        bare = client.get("/nothing", headers={"accept": "text/html"})
    assert reason.status_code == bare.status_code == 404
    assert '<span lang="en">no campaign &#34;x&#34;</span>' in reason.text
    # litestar's own "Not Found" repeats the title in English: left out.
    assert "Not Found" not in bare.text
