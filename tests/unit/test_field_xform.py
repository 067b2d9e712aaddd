"""The XForm field devices download, made by pyxform from our XLSForm export, and the way back: what an
interview's values mean, read from its XML; and the settings code ODK Collect scans."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from survey.field.instance import Unreadable, read_instance
from survey.field.openrosa import settings_code
from survey.field.xform import build_xform, form_fields
from survey.questionnaire.load import load_definition, load_file
from tests.helpers import V1

FORMS = sorted((Path(__file__).resolve().parents[2] / "forms").glob("*.yaml"))
H = "{http://www.w3.org/1999/xhtml}"
X = "{http://www.w3.org/2002/xforms}"
JR = "{http://openrosa.org/javarosa}"


def parts(xml: bytes) -> tuple[ET.Element, ET.Element, dict[str, dict[str, str]]]:
    """The XForm's model, its primary instance's root, and its binds by question name."""
    root = ET.fromstring(xml)
    model = root.find(f"{H}head/{X}model")
    assert model is not None
    primary = next(i for i in model.findall(f"{X}instance") if "id" not in i.attrib)
    binds = {
        b.get("nodeset", "").rsplit("/", 1)[-1]: dict(b.attrib) for b in model.iter(f"{X}bind")
    }
    return model, next(iter(primary)), binds


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.stem)
def test_every_shipped_questionnaire_becomes_an_xform(path: Path) -> None:
    q = load_file(path)
    xform = build_xform(q, form_id="tip-2027-pre", version="3")
    model, data, binds = parts(xform.xml)
    assert (data.get("id"), data.get("version")) == ("tip-2027-pre", "3")
    # Both languages, the questionnaire's first the default.
    translations = {t.get("lang"): t.get("default") for t in model.iter(f"{X}translation")}
    assert translations == {"Mongolian (mn)": "true()", "English (en)": None}
    assert ET.fromstring(xform.xml).findtext(f"{H}head/{H}title") == q.title["mn"]
    # Every question is there, with its rules; nothing is computed on the device.
    names = {element.tag.removeprefix(X) for element in data.iter()}
    for item in q.items():
        assert item.key in names
        bind = binds[item.key]
        if item.required or item.type == "consent":
            assert bind.get("required") == "true()", item.key
        if item.show_if:
            assert bind.get("relevant"), item.key
        if item.min is not None or item.max is not None:
            assert ". >=" in bind.get("constraint", "") or ". <=" in bind.get("constraint", "")
    assert not any("calculate" in bind for bind in binds.values())
    assert binds["instanceID"][f"{JR}preload"] == "uid"
    # The same questionnaire gives the same bytes, and so the same hash in the form list.
    assert build_xform(q, form_id="tip-2027-pre", version="3").md5 == xform.md5
    assert build_xform(q, form_id="tip-2027-pre", version="4").md5 != xform.md5


def test_a_device_cannot_read_the_answer_key() -> None:
    """Two questionnaires that differ only in their knowledge items' correct answers and scoring give
    byte-identical XForms: nothing of the answer key reaches a device."""
    q = load_definition(V1)
    other = load_definition(
        V1.replace('correct: "no"', 'correct: "yes"')
        .replace("correct: [passport, debt]", "correct: [contract]")
        .replace("scoring: partial", "scoring: all_or_nothing")
    )
    assert q.item("k_offer").correct != other.item("k_offer").correct
    assert (
        build_xform(q, form_id="w", version="1").xml
        == build_xform(other, form_id="w", version="1").xml
    )
    assert b"score_" not in build_xform(q, form_id="w", version="1").xml


def test_an_interviews_values_become_the_web_forms_fields() -> None:
    q = load_definition(V1)
    fields = form_fields(
        q,
        {
            "consent": ["OK"],
            "age": ["22"],
            "k_signs": ["passport  debt"],
            "comment": [""],
            "about": [""],  # an empty section element
        },
    )
    assert fields == {
        "consent": ["yes"],
        "age": ["22"],
        "k_signs": ["passport", "debt"],
        "comment": [""],
    }
    with pytest.raises(Unreadable) as unknown:
        form_fields(q, {"salary": ["100"]})
    assert unknown.value.reason == "unknown_element"
    with pytest.raises(Unreadable) as twice:
        form_fields(q, {"age": ["20", "21"]})
    assert twice.value.reason == "repeated_element"


ENKETO_RECORD = b"""<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms"
 id="tip-pre" version="1">
  <consent><consent>OK</consent></consent>
  <about><age>22</age><aimag/></about>
  <orx:meta>
    <orx:instanceID>uuid:7a1c</orx:instanceID>
    <orx:deprecatedID>uuid:6b0b</orx:deprecatedID>
    <orx:deviceID>collect:AbCdEf012345</orx:deviceID>
    <orx:username>sarnai</orx:username>
  </orx:meta>
</data>"""


def test_an_interview_is_read_with_its_ids_and_without_the_device() -> None:
    instance = read_instance(ENKETO_RECORD)
    assert (instance.form_id, instance.version) == ("tip-pre", "1")
    assert (instance.instance_id, instance.deprecated_id) == ("uuid:7a1c", "uuid:6b0b")
    assert instance.values == {"consent": ["OK"], "age": ["22"], "aimag": [""]}
    assert "collect:AbCdEf012345" not in repr(instance) and "sarnai" not in repr(instance)
    assert read_instance(ENKETO_RECORD).sha256 == instance.sha256
    assert read_instance(ENKETO_RECORD.replace(b"22", b"23")).sha256 != instance.sha256


def test_the_settings_code_is_what_odk_collect_reads() -> None:
    """ODK Collect's settings QR code holds JSON, zlib-compressed, base64-encoded (docs.getodk.org,
    "Importing and exporting settings"); decoded here with the standard library only."""
    code = settings_code("https://survey.example.org/field/abc", "tip-2027 · Өмнөх судалгаа")
    settings = json.loads(zlib.decompress(base64.b64decode(code)).decode("utf-8"))
    assert settings == {
        "general": {"server_url": "https://survey.example.org/field/abc"},
        "admin": {},
        "project": {"name": "tip-2027 · Өмнөх судалгаа"},
    }
