"""schemathesis against the app's own OpenAPI document: every API operation, with a valid token, answers
below 500 and as the document says (status code, content type, headers, body schema).

The document is fetched from ``/schema/openapi.json`` of the running app and loaded with
``schemathesis.openapi.from_dict``; each operation's cases come from its hypothesis strategy and are sent
through litestar's own test client. (``schemathesis.openapi.from_asgi`` starts the app's lifespan on an
event loop of its own that lives until the interpreter exits, which would keep a database pool open past
the end of this test's database; the test client's lifespan ends with the test.)
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar.testing import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from survey.app import create_app
from survey.cli import main
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db.pool import connect
from survey.settings import Settings
from tests.helpers import (
    add_response,
    make_study,
    password_hash,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Path parameters that name existing objects, so that cases reach real data as well as 404s.
KNOWN = {"key": ["tip", "tq"], "version": [1, 2]}
EXAMPLES_PER_OPERATION = 25


async def _seed(url: str) -> None:
    """A questionnaire in two versions, a campaign with a pre and a post wave, a few responses, an
    analyst's account."""
    conn = await connect(url)
    try:
        study = await make_study(conn)
        for n in range(6):
            answers = {"consent": "yes", "age": 18 + n, "k_offer": ["no", "yes"][n % 2]}
            await add_response(conn, study.pre, {**answers, "k_signs": ["passport"]})
            await add_response(conn, study.post, {**answers, "k_hotline": "yes"})
        await add_response(conn, study.pre, {"consent": "yes"}, status="in_progress")
        await accounts_db.create_account(
            conn, "analyst@example.org", role="analyst", password_hash=password_hash()
        )
        assert len(await campaigns_db.waves_of(conn, "tip")) == 2
    finally:
        await conn.close()


@pytest.fixture
def api_token(cli_env: Settings, capsys: pytest.CaptureFixture[str]) -> str:
    """Data on this test's database, and an analyst's API token made by ``survey tokens create``, with
    both scopes."""
    assert cli_env.database_url is not None
    asyncio.run(_seed(cli_env.database_url))
    capsys.readouterr()
    scope = ["--scope", "campaigns,responses"]
    assert main(["tokens", "create", "analyst@example.org", *scope]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("svy_")
    return token


def test_every_api_operation_conforms_to_the_openapi_document(
    settings: Settings, api_token: str
) -> None:
    app = create_app(settings, database_url=settings.database_url)
    with TestClient(app) as client:
        document = client.get("/schema/openapi.json").json()
        schema = schemathesis.openapi.from_dict(document)
        # The document also describes the respondent pages (HTML forms, not API operations).
        operations = [
            op
            for op in (r.ok() for r in schema.get_all_operations())
            if op.path.startswith("/api/")
        ]
        assert len(operations) >= 8
        assert {op.method.upper() for op in operations} == {"GET"}  # the API is read-only
        seen: dict[str, set[int]] = {}

        for operation in operations:

            @hypothesis_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(), known=st.booleans(), data=st.data())
            def check(case: Any, known: bool, data: st.DataObject) -> None:
                if known:
                    for name in case.path_parameters or {}:
                        if name in KNOWN:
                            case.path_parameters[name] = data.draw(st.sampled_from(KNOWN[name]))
                kwargs = case.as_transport_kwargs(
                    base_url=str(client.base_url), headers={"authorization": f"Bearer {api_token}"}
                )
                response = client.request(
                    kwargs["method"],
                    kwargs["url"],
                    params=kwargs.get("params"),
                    headers=kwargs.get("headers"),
                )
                seen.setdefault(case.operation.label, set()).add(response.status_code)
                case.validate_response(response, checks=CHECKS)

            check()
            # The token works: every operation answers 200 to a plain request naming known objects
            # (random cases alone may all be refused, e.g. by a query parameter out of range).
            named = {"key": "tq" if "/questionnaires/" in operation.path else "tip", "version": 1}
            path = operation.path
            for name, value in named.items():
                path = path.replace("{" + name + "}", str(value))
            plain = client.get(path, headers={"authorization": f"Bearer {api_token}"})
            seen.setdefault(operation.label, set()).add(plain.status_code)
            assert plain.status_code == 200, (operation.label, plain.status_code, plain.text[:200])
        assert len(seen) == len(operations)
