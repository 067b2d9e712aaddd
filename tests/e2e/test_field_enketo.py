"""A real OpenRosa client, written by others, against a real ``survey serve``: Enketo.

enketo-transformer (ODK's, the transformation Enketo's servers run, with its native libxslt) turns the
XForm our field address serves into Enketo's HTML form; enketo-core, Enketo's form engine, renders it in
Chromium in Mongolian; the test fills it in as an enumerator would, clicking what enketo-core shows;
``getDataStr()`` gives the record Enketo would send, which is POSTed to the submission endpoint as
Enketo and ODK Collect send it; it lands as a complete response with the enumerator's name, exported
like any other. ``tests/e2e/enketo/install.sh`` (run by ``.ci/run``) installs the client into
``.cache/enketo``; outside CI the test is skipped when it is not there.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from email.message import Message
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import REPO, Server, _missing
from tests.helpers import V1, multipart_submission

pytestmark = pytest.mark.e2e

ENKETO = REPO / ".cache" / "enketo"
FORM_LIST = "{http://openrosa.org/xforms/xformsList}"
#: Where enketo-core's page comes from: an origin of its own, as on an Enketo server.
ORIGIN = "http://enketo.test"
PAGE = f"""<!DOCTYPE html><html lang="mn"><head><meta charset="utf-8"><title>Enketo</title>
<script src="{ORIGIN}/bundle.js"></script></head>
<body><div id="form-container"></div></body></html>"""


@pytest.fixture(scope="module")
def enketo() -> Path:
    if not (ENKETO / "bundle.js").is_file() or not (ENKETO / ".native-ok").is_file():
        _missing(f"Enketo is not installed in {ENKETO} (tests/e2e/enketo/install.sh)")
    return ENKETO


@pytest.fixture(scope="module")
def field_address(server: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An open wave of the test questionnaire (tests.helpers.V1) and an enumerator's field address,
    made with the command line as a researcher would."""
    path = tmp_path_factory.mktemp("enketo") / "tq.yaml"
    path.write_text(V1, encoding="utf-8")
    server.cli("forms", "publish", str(path))
    server.cli("campaigns", "create", "enketo", "--questionnaire", "tq", "--design", "independent")
    server.cli("waves", "add", "enketo", "--phase", "pre")
    server.cli("waves", "open", "enketo-pre")
    address = server.cli("waves", "field", "enketo-pre", "--enumerator", "Сараа").strip()
    assert re.fullmatch(rf"{re.escape(server.url)}/field/[\w-]{{32}}", address), address
    return address


def get(url: str) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers={"X-OpenRosa-Version": "1.0"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers, response.read()


def transform(enketo: Path, xform: bytes) -> dict[str, object]:
    done = subprocess.run(
        ["node", str(enketo / "transform.cjs")],
        input=xform,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def open_form(page: Page, enketo: Path, result: dict[str, object]) -> None:
    page.route(f"{ORIGIN}/", lambda route: route.fulfill(body=PAGE, content_type="text/html"))
    page.route(
        f"{ORIGIN}/bundle.js",
        lambda route: route.fulfill(path=enketo / "bundle.js", content_type="text/javascript"),
    )
    page.goto(f"{ORIGIN}/")
    errors = page.evaluate(
        "([html, model]) => renderForm(html, model)", [result["form"], result["model"]]
    )
    assert errors == [], errors


def shown_label(page: Page, name: str) -> str:
    """The label enketo-core shows for question ``name`` (the active language's)."""
    return page.locator(
        f".question:has([name$='/{name}']) .question-label.active"
    ).first.inner_text()


def test_enketo_fills_the_served_xform_in_mongolian_and_its_record_lands(
    server: Server, enketo: Path, field_address: str, new_page: Callable[..., Page]
) -> None:
    # The form list, then the form, as a client finds them.
    status, headers, body = get(f"{field_address}/formList")
    assert status == 200 and headers["X-OpenRosa-Version"] == "1.0"
    # One Date header, the application's (survey serve turns uvicorn's off).
    assert len(headers.get_all("Date") or []) == 1
    [entry] = ET.fromstring(body).findall(f"{FORM_LIST}xform")
    assert entry.findtext(f"{FORM_LIST}formID") == "enketo-pre"
    status, _, xform = get(entry.findtext(f"{FORM_LIST}downloadUrl") or "")
    assert status == 200

    result = transform(enketo, xform)
    assert result["languageMap"] == {"Mongolian (mn)": "mn", "English (en)": "en"}
    page = new_page(viewport={"width": 360, "height": 740})
    open_form(page, enketo, result)

    # Mongolian, the questionnaire's first language, is what enketo-core shows.
    assert page.locator("#form-languages").input_value() == "mn"
    assert shown_label(page, "age") == "Нас?"
    assert shown_label(page, "k_offer") == "Сайхан санал аюулгүй юу?"

    # An enumerator's taps: consent, then the questions consent reveals.
    page.locator("[name$='/consent'][value='OK']").check()
    page.locator("[name$='/age']").fill("22")
    darkhan = page.locator("label:has([name$='/aimag'][value='darkhan'])")
    assert darkhan.locator(".option-label.active").inner_text() == "Дархан"
    darkhan.click()
    page.locator("[name$='/k_offer'][value='no']").check()
    page.locator("[name$='/k_signs'][value='passport']").check()
    page.locator("[name$='/k_signs'][value='contract']").check()
    page.locator("[name$='/a_help'][value='4']").check()
    comment = page.locator("[name$='/comment']")
    comment.fill("Ярилцлага сайн болсон.")
    comment.press("Tab")  # enketo-core takes a typed value when the field is left
    record = page.evaluate("() => enketoRecord()")
    assert record["valid"], record
    xml = record["xml"].encode()
    assert b"<instanceID>uuid:" in xml

    # Sent as Enketo and ODK Collect send it.
    body, content_type = multipart_submission(xml)
    request = urllib.request.Request(
        f"{field_address}/submission",
        data=body,
        method="POST",
        headers={"Content-Type": content_type, "X-OpenRosa-Version": "1.0"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        assert b"The interview was received." in response.read()

    out = Path(server.env["SURVEY_DATA_DIR"]).parent / f"enketo-{uuid.uuid4().hex}.csv"
    server.cli("export", "enketo", "--format", "csv", "-o", str(out))
    with out.open(encoding="utf-8") as exported:
        [row] = list(csv.DictReader(exported))
    assert (row["status"], row["channel"], row["enumerator"], row["review"]) == (
        "complete",
        "field",
        "Сараа",
        "",
    )
    assert (row["consent"], row["age"], row["aimag"], row["k_offer"]) == (
        "yes",
        "22",
        "darkhan",
        "no",
    )
    assert (row["k_signs/passport"], row["k_signs/debt"], row["k_signs/contract"]) == (
        "1",
        "0",
        "1",
    )
    assert (row["a_help"], row["comment"]) == ("4", "Ярилцлага сайн болсон.")
