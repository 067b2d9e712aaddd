"""The report's words: the one rule for "rose", "fell" and "no clear change", numbers in each language,
and the report catalogue (both languages, same placeholders, no case ending glued to a placeholder, every
code of the analysis given words)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from survey.reports.messages import CATALOGUE, MESSAGES
from survey.reports.view import NOTES_SHOWN_ELSEWHERE
from survey.reports.words import Change, change_sentence, decimal, direction, size_key
from survey.web.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]

# -- the rule ------------------------------------------------------------------------------------------

# (interval low, interval high) → the verb it earns. The edge cases are the point: an interval that
# touches zero includes no change; the smallest interval wholly above zero is a rise.
INTERVALS = [
    ((0.11, 0.16), "rose"),
    ((1e-9, 0.3), "rose"),
    ((-0.3, -0.1), "fell"),
    ((-0.2, -1e-9), "fell"),
    ((-0.09, 0.05), "unclear"),
    ((-0.5, 0.5), "unclear"),
    ((0.0, 0.2), "unclear"),
    ((-0.2, 0.0), "unclear"),
    ((0.0, 0.0), "unclear"),
    ((None, None), "none"),
    ((None, 0.2), "none"),
]

#: What each verb looks like at the start of a sentence, per language (the catalogue's own words are not
#: used to check themselves: these are written out here).
OPENINGS = {
    "en": {"rose": "Rose from", "fell": "Fell from", "unclear": "No clear change:"},
    "mn": {"rose": "Өссөн:", "fell": "Буурсан:", "unclear": "Тодорхой өөрчлөлт алга:"},
}


@pytest.mark.parametrize(("interval", "expected"), INTERVALS)
def test_direction_comes_from_the_interval_alone(
    interval: tuple[float | None, float | None], expected: str
) -> None:
    assert direction(*interval) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("interval", "expected"), [i for i in INTERVALS if i[1] != "none"])
@pytest.mark.parametrize("kind", ["score", "scale", "item", "proportion", "likert"])
def test_every_sentence_says_what_its_interval_allows(
    interval: tuple[float, float], expected: str, kind: str, lang: str
) -> None:
    low, high = interval
    # The estimate lies inside its interval; before and after are chosen so that the levels alone would
    # suggest a rise, which the sentence must not say unless the interval does.
    change = Change(
        kind=kind,
        before=0.40 if kind in ("score", "item", "proportion") else 2.60,
        after=0.42 if kind in ("score", "item", "proportion") else 2.62,
        estimate=(low + high) / 2,
        ci_low=low,
        ci_high=high,
        points=5,
    )
    sentence = change_sentence(change, lang, "95%")
    assert sentence.startswith(OPENINGS[lang][expected]), sentence
    for other, opening in OPENINGS[lang].items():
        if other != expected:
            assert opening not in sentence
    assert "significant" not in sentence.lower()


def test_the_sentence_of_the_issue() -> None:
    """Issue 11: "fell from 2.69 to 2.67, −0.02, CI −0.09 to +0.05" must not say "fell"."""
    change = Change(
        kind="scale", before=2.69, after=2.67, estimate=-0.02, ci_low=-0.09, ci_high=0.05, points=5
    )
    assert change_sentence(change, "en", "95%") == (
        "No clear change: the 95% interval runs from −0.09 to +0.05 on a 1–5 scale, which includes "
        "no change (2.69 before, 2.67 after on average, a change of −0.02)."
    )
    mn = change_sentence(change, "mn", "95%")
    assert "−0,09 ба +0,05 хооронд" in mn and "2,69" in mn and "2,67" in mn
    assert "буурсан" not in mn.lower()


def test_a_rise_gives_its_numbers() -> None:
    change = Change(kind="score", before=0.46, after=0.61, estimate=0.15, ci_low=0.12, ci_high=0.17)
    assert change_sentence(change, "en", "95%") == (
        "Rose from 46% to 61% correct: a change of +15 percentage points, with a 95% interval from "
        "+12 to +17."
    )


def test_a_difference_in_differences_is_said_as_one() -> None:
    change = Change(
        kind="proportion",
        before=None,
        after=None,
        estimate=-0.05,
        ci_low=-0.09,
        ci_high=-0.01,
        comparison=True,
    )
    assert change_sentence(change, "en", "95%").startswith(
        "Fell compared with the comparison group: the campaign group's change minus the comparison "
        "group's change is −5 percentage points"
    )
    across = Change(kind="scale", before=None, after=None, estimate=0.1, ci_low=-0.1, ci_high=0.3)
    across = Change(**{**across.__dict__, "comparison": True, "points": 5})
    assert change_sentence(across, "en", "95%").startswith(
        "No clear difference from the comparison"
    )


def test_without_an_estimate_or_an_interval_nothing_is_concluded() -> None:
    none = Change(kind="score", before=0.4, after=None, estimate=None, ci_low=None, ci_high=None)
    assert change_sentence(none, "en", "95%").startswith("No estimate can be shown")
    flat = Change(kind="scale", before=3.0, after=3.0, estimate=0.0, ci_low=None, ci_high=None)
    assert change_sentence(flat, "en", "95%").startswith("No conclusion can be drawn")


# -- numbers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "sign", "expected"),
    [
        (0.15, 2, "en", True, "+0.15"),
        (-0.09, 2, "en", True, "−0.09"),
        (-0.09, 2, "mn", True, "−0,09"),
        (0.0, 2, "en", True, "0.00"),
        (
            -0.001,
            2,
            "en",
            True,
            "−0.001",
        ),  # never "−0.00": a bound shown as zero would read as zero
        (0.004, 0, "en", True, "+0.004"),
        (12345.6, 1, "en", False, "12,345.6"),
        (12345.6, 1, "mn", False, "12\N{NO-BREAK SPACE}345,6"),
    ],
)
def test_numbers_in_each_language(
    value: float, decimals: int, lang: str, sign: bool, expected: str
) -> None:
    assert decimal(value, decimals, lang, sign=sign) == expected


@pytest.mark.parametrize(
    ("value", "size"),
    [
        (0.0, "below"),
        (0.19, "below"),
        (0.2, "small"),
        (-0.49, "small"),
        (0.5, "medium"),
        (0.79, "medium"),
        (-0.8, "large"),
        (2.0, "large"),
    ],
)
def test_cohens_conventions(value: float, size: str) -> None:
    """Cohen (1988), Statistical Power Analysis for the Behavioral Sciences: 0.2, 0.5, 0.8."""
    assert size_key(value) == size


# -- the catalogue -------------------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        assert _placeholders(texts["mn"]) == _placeholders(texts["en"]), key


def test_mongolian_messages_are_cyrillic_and_never_glue_an_ending_to_a_placeholder() -> None:
    for key, texts in MESSAGES.items():
        mongolian = texts["mn"]
        # A case ending glued to a placeholder ("{b}-аас") is wrong for half the words it meets.
        assert not re.search(r"\}-?[а-яөүёА-ЯӨҮЁ]", mongolian), (key, mongolian)
        letters = [ch for ch in re.sub(r"\{\w+\}", "", mongolian) if ch.isalpha()]
        latin = [ch for ch in letters if ch.isascii()]
        # Latin only for the letters of the statistics' names (g, h, dz, p).
        assert len(latin) <= 4, (key, mongolian)


def test_every_message_the_template_and_code_use_is_in_the_catalogue() -> None:
    sources = [
        *ROOT.joinpath("survey", "templates", "reports").glob("*.html"),
        *ROOT.joinpath("survey", "reports").glob("*.py"),
    ]
    used: set[str] = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*['"]([a-z_.]+)['"]""", text))
    assert len(used) > 30
    assert used <= set(MESSAGES), used - set(MESSAGES)


def test_every_code_of_the_analysis_has_words_or_a_place() -> None:
    """Read the codes the analysis writes (survey/analysis/report.py), so that a new note or flag
    cannot reach the page untranslated: each is given words, or shown elsewhere on purpose."""
    source = ROOT.joinpath("survey", "analysis", "report.py").read_text(encoding="utf-8")
    notes = set(re.findall(r'_note\(\s*"([a-z_]+)"', source))
    flags = set(re.findall(r'code="([a-z_]+)"', source))
    assert {"panel_matched", "small_sample", "item_changed", "clusters"} <= notes
    assert {"small_sample", "low_reliability", "incomparable_items"} <= flags
    for code in notes:
        assert code in NOTES_SHOWN_ELSEWHERE or f"note.{code}" in CATALOGUE, code
    for code in flags:
        assert f"flag.{code}" in CATALOGUE, code
    for code in NOTES_SHOWN_ELSEWHERE:
        assert code in notes, f"{code} is no longer written by the analysis"
