"""Panel codes: normalisation (case, spacing, Cyrillic/Latin look-alikes) and the HMAC that is stored."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey.collect.panel import LOOKALIKES, normalise, panel_key

CYRILLIC_DE = "\u0414"  # Д: no Latin look-alike, so it stays Cyrillic
CYRILLIC_O = "\u041e"  # О
LATIN_O = "O"


@pytest.mark.parametrize(
    "typed",
    [
        f"{CYRILLIC_DE}{CYRILLIC_O}07{CYRILLIC_DE}",  # all Cyrillic, as on a Mongolian keyboard
        f"{CYRILLIC_DE}{LATIN_O}07{CYRILLIC_DE}",  # the O from a Latin keyboard
        "до07д",  # lower case
        " до 07 д ",  # spaces around and inside
        "до-07-д",  # dashes
        "Д.О/07_Д",  # other separators
        "ДО\u00a007\u2009Д",  # no-break and thin spaces a phone inserts
        "ДＯ０７Д",  # full-width forms
    ],
)
def test_ways_of_typing_one_code_normalise_to_one_form(typed: str) -> None:
    assert normalise(typed) == f"{CYRILLIC_DE}{LATIN_O}07{CYRILLIC_DE}"


def test_every_lookalike_pair_meets_in_both_cases() -> None:
    for cyrillic, latin in LOOKALIKES.items():
        assert unicodedata.name(cyrillic).startswith("CYRILLIC CAPITAL LETTER")
        assert unicodedata.name(latin).startswith("LATIN CAPITAL LETTER")
        for typed in (cyrillic, cyrillic.lower(), latin, latin.lower()):
            assert normalise(typed) == latin, typed


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("ДО07Д", "ДО08Д"),  # another day
        ("ДО07Д", "DO07D"),  # Д and D are different letters, not look-alikes
        ("ДО07Д", "ДО07"),  # a letter missing
        ("БО07Д", "ВО07Д"),  # Б and В differ even though В looks like B
        ("ӨӨ01", "ОО01"),  # Mongolian Ө is its own letter
    ],
)
def test_different_codes_stay_different(one: str, other: str) -> None:
    assert normalise(one) != normalise(other)


def test_the_stored_key_is_hmac_sha256_of_the_normalised_code_with_the_campaigns_secret() -> None:
    secret = bytes(range(32))
    # Worked out with the standard library alone: HMAC-SHA256(key=secret, message=UTF-8 of "AB12").
    expected = hmac.new(secret, b"AB12", hashlib.sha256).hexdigest()
    assert panel_key(" ab-12 ", secret) == expected
    assert panel_key("АВ12", secret) == expected  # Cyrillic А and В
    assert panel_key("AB12", b"another campaign") != expected
    assert "AB12" not in expected and len(expected) == 64


@pytest.mark.parametrize("code", ["", "   ", "- . /", "\u200b"])
def test_a_code_with_no_letter_or_digit_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="no letter or digit"):
        panel_key(code, b"secret")


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="secret"):
        panel_key("AB12", b"")


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789АБВГДЕЁЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ -."


@given(st.text(alphabet=ALPHABET + ALPHABET.lower(), max_size=20))
def test_normalising_is_idempotent_and_ignores_case_and_separators(code: str) -> None:
    once = normalise(code)
    assert normalise(once) == once
    assert normalise(code.lower()) == once == normalise(code.upper())
    assert normalise(" - ".join(code)) == once
    assert all(ch.isalnum() for ch in once)
