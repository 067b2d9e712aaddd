"""Loading and validating questionnaire definitions (survey.questionnaire.load)."""

from __future__ import annotations

import copy
import string
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.errors import InvalidDefinition
from survey.questionnaire.load import (
    MAX_DEFINITION_BYTES,
    check_files,
    load_definition,
    load_file,
    load_object,
)
from survey.questionnaire.model import Questionnaire

DATA = Path(__file__).parent / "data"
BASE: dict[str, Any] = yaml.safe_load((DATA / "base.yaml").read_text(encoding="utf-8"))

Mutation = Callable[[dict[str, Any]], None]
Path_ = tuple[str | int, ...]


def errors_of(data: object) -> list[str]:
    """The errors load_object reports for ``data`` (none when it loads)."""
    try:
        load_object(data)
    except InvalidDefinition as exc:
        return exc.errors
    return []


def _parent(d: Any, path: Path_) -> Any:
    for part in path[:-1]:
        d = d[part]
    return d


def set_(path: Path_, value: object) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        _parent(d, path)[path[-1]] = value

    return mutate


def delete(path: Path_) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        del _parent(d, path)[path[-1]]

    return mutate


def append(path: Path_, value: object) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        _parent(d, path)[path[-1]].append(value)

    return mutate


def mutated(*mutations: Mutation) -> dict[str, Any]:
    d = copy.deepcopy(BASE)
    for mutation in mutations:
        mutation(d)
    return d


def item(s: int, i: int, *rest: str | int) -> Path_:
    return ("sections", s, "items", i, *rest)


def item_of(d: dict[str, Any], key: str) -> dict[str, Any]:
    return next(i for s in d["sections"] for i in s["items"] if i["key"] == key)


def text(en: str, mn: str = "мн") -> dict[str, str]:
    return {"mn": mn, "en": en}


# --------------------------------------------------------------------------------------------------
# Valid definitions


def test_base_fixture_is_valid() -> None:
    assert errors_of(BASE) == []


def test_minimal_file_loads() -> None:
    q = load_file(DATA / "minimal.yaml")
    assert q.key == "minimal"
    assert [i.key for i in q.items()] == ["age"]
    assert q.item("age").type == "integer"


def test_rich_file_loads_with_every_type() -> None:
    q = load_file(str(DATA / "trafficking-knowledge.yaml"))
    types = {i.type for i in q.items()}
    assert types == {
        "note",
        "consent",
        "integer",
        "choice",
        "multi",
        "likert",
        "decimal",
        "text",
        "date",
        "panel_code",
    }
    assert set(q.outcomes) == {"knowledge", "confidence_to_report", "would_report", "consented"}
    assert q.outcomes["confidence_to_report"].min_answered == 0.6
    # Unquoted YAML dates stay strings.
    assert q.item("arrived").min == "2000-01-01"


def test_yaml_1_2_booleans_leave_yes_and_no_as_strings() -> None:
    d = mutated()
    source = yaml.safe_dump(d, allow_unicode=True)
    for field in ("value", "correct"):
        source = source.replace(f"{field}: 'no'", f"{field}: no")
        source = source.replace(f"{field}: 'yes'", f"{field}: yes")
    assert "value: no\n" in source  # the dump really holds unquoted no
    q = load_definition(source)
    assert [c.value for c in q.choice_lists["yes_no_dk"]] == ["yes", "no", "dk"]
    assert q.item("k_job_offer").correct == "no"


def test_texts_are_nfc_normalised_and_stripped() -> None:
    decomposed = unicodedata.normalize("NFD", "Йөрөөл")
    assert decomposed != "Йөрөөл"
    q = load_object(mutated(set_(item(1, 0, "text"), text("  Age \n", decomposed))))
    assert q.item("age").text == {"mn": "Йөрөөл", "en": "Age"}


def test_implied_defaults_are_made_explicit() -> None:
    q = load_object(
        mutated(
            set_(item(2, 1, "correct"), ["debt", "passport"]),
            delete(item(2, 1, "scoring")),
            set_(item(1, 0, "type"), "decimal"),
        )
    )
    assert q.item("consent").required is True
    assert q.item("comments").max_length == 500
    assert q.item("code").max_length == 32
    assert q.item("k_signs").scoring == "all_or_nothing"
    assert q.item("k_signs").correct == ["passport", "debt"]  # the order of the choices
    assert q.item("age").min == 15.0 and isinstance(q.item("age").min, float)


def test_a_multi_knowledge_item_may_be_scored_corrected() -> None:
    q = load_object(mutated(set_(item(2, 1, "scoring"), "corrected")))
    assert q.item("k_signs").scoring == "corrected"


def test_explicit_defaults_give_an_equal_definition() -> None:
    implicit = load_object(mutated())
    explicit = load_object(
        mutated(
            set_(item(0, 1, "required"), True),
            set_(item(3, 4, "max_length"), 500),
            set_(item(1, 3, "max_length"), 32),
            set_(("outcomes", "confidence", "min_answered"), 0.5),
        )
    )
    assert implicit == explicit


def test_the_analysis_block_has_one_spelling() -> None:
    """An entry without bands is its key; an empty block is no block; neither the block nor its
    absence touches what is asked (the items' fingerprints)."""
    from survey.questionnaire.fingerprint import definition_hash, item_fingerprints
    from survey.questionnaire.model import Analysis, Variable

    plain = load_object(mutated())
    spelt = load_object(
        mutated(
            set_(
                ("analysis",),
                {"covariates": [{"item": "aimag"}, {"item": "age", "bands": [25, 40]}]},
            )
        )
    )
    short = load_object(
        mutated(set_(("analysis",), {"covariates": ["aimag", {"item": "age", "bands": [25, 40]}]}))
    )
    assert spelt == short
    assert spelt.analysis == Analysis(covariates=["aimag", Variable(item="age", bands=[25, 40])])
    assert Analysis.variables(spelt.analysis.covariates) == [
        Variable(item="aimag"),
        Variable(item="age", bands=[25, 40]),
    ]
    assert load_object(mutated(set_(("analysis",), {}))) == plain
    assert load_object(mutated(set_(("analysis",), {"subgroups": []}))).analysis is None
    assert item_fingerprints(spelt) == item_fingerprints(plain)
    assert definition_hash(spelt) != definition_hash(plain)
    # A definition without the block keeps the hash it had before the block existed.
    assert b'"analysis"' not in msgspec.json.encode(plain)


def test_json_is_accepted() -> None:
    q = load_definition(msgspec.json.encode(BASE))
    assert q == load_object(BASE)


# --------------------------------------------------------------------------------------------------
# One mistake, one precise message

CASES: list[tuple[str, Mutation, str]] = [
    # texts
    (
        "missing translation",
        delete(item(1, 0, "text", "mn")),
        'sections[1].items[0].text: missing "mn" text (the default language)',
    ),
    (
        "blank translation",
        set_(item(1, 0, "text", "en"), "   "),
        'sections[1].items[0].text: empty "en" text',
    ),
    (
        "unknown language in a text",
        set_(item(1, 0, "text", "fr"), "Âge"),
        'sections[1].items[0].text: unknown language "fr" (declared: mn, en)',
    ),
    (
        "title missing the default language",
        delete(("title", "mn")),
        'title: missing "mn" text (the default language)',
    ),
    (
        "choice label missing a language",
        delete(("choice_lists", "signs", 1, "label", "mn")),
        'choice_lists.signs[1].label: missing "mn" text (the default language)',
    ),
    (
        "hint missing a language",
        set_(item(1, 0, "hint"), {"en": "years"}),
        'sections[1].items[0].hint: missing "mn" text (the default language)',
    ),
    (
        "section title missing a language",
        set_(("sections", 1, "title"), {"en": "About you"}),
        'sections[1].title: missing "mn" text (the default language)',
    ),
    # keys
    (
        "duplicate item key",
        set_(item(3, 4, "key"), "age"),
        'sections[3].items[4].key: duplicate item key "age" (first at sections[1].items[0])',
    ),
    (
        "duplicate section key",
        set_(("sections", 3, "key"), "welcome"),
        'sections[3].key: duplicate section key "welcome" (first at sections[0])',
    ),
    (
        "invalid item key",
        set_(item(3, 4, "key"), "Comments"),
        'sections[3].items[4].key: "Comments" is not a valid key '
        '(lower-case letters, digits and "_", starting with a letter)',
    ),
    (
        "reserved item key",
        set_(item(3, 4, "key"), "and"),
        'sections[3].items[4].key: "and" is a reserved word of show_if expressions',
    ),
    (
        "invalid questionnaire key",
        set_(("key",), "Base Form"),
        'key: "Base Form" is not a valid key '
        '(lower-case letters, digits, "-" and "_", starting with a letter)',
    ),
    (
        "invalid section key",
        set_(("sections", 0, "key"), "1st"),
        'sections[0].key: "1st" is not a valid key '
        '(lower-case letters, digits and "_", starting with a letter)',
    ),
    (
        "invalid outcome key",
        lambda d: d["outcomes"].__setitem__("Would-Report", d["outcomes"].pop("would_report")),
        'outcomes.Would-Report: "Would-Report" is not a valid name '
        '(lower-case letters, digits and "_", starting with a letter)',
    ),
    # the analysis block
    (
        "unknown covariate",
        set_(("analysis",), {"covariates": ["agee"]}),
        'analysis.covariates[0]: unknown item "agee"',
    ),
    (
        "knowledge item as a covariate",
        set_(("analysis",), {"covariates": ["aimag", "k_job_offer"]}),
        'analysis.covariates[1]: "k_job_offer" is a knowledge item (it has "correct"): what people '
        "know is an outcome, not a description of who answered",
    ),
    (
        "an outcome's item as a covariate",
        set_(("analysis",), {"covariates": ["q_would_report"]}),
        'analysis.covariates[0]: "q_would_report" is the item of outcome "would_report": an '
        "outcome cannot describe who answered",
    ),
    (
        "likert item as a grouping item",
        set_(("analysis",), {"subgroups": ["a_report"]}),
        'analysis.subgroups[0]: "a_report" is a likert item; a grouping item is a choice item, or '
        "an integer item with bands",
    ),
    (
        "integer grouping item without bands",
        set_(("analysis",), {"subgroups": ["aimag", "age"]}),
        'analysis.subgroups[1]: "age" is an integer item: give it bands to form groups, e.g. '
        "{item: age, bands: [25, 35]}",
    ),
    (
        "date covariate",
        set_(("analysis",), {"covariates": [{"item": "arrived"}]}),
        'analysis.covariates[0].item: "arrived" is a date item; a covariate is a choice, integer '
        "or decimal item",
    ),
    (
        "bands on a choice item",
        set_(("analysis",), {"subgroups": [{"item": "aimag", "bands": [2]}]}),
        'analysis.subgroups[0].bands: only an integer item has bands ("aimag" is a choice item)',
    ),
    (
        "band at the item's min",
        set_(("analysis",), {"subgroups": [{"item": "age", "bands": [15, 30]}]}),
        "analysis.subgroups[0].bands[0]: 15 is not above the item's min 15: the first band "
        "starts there",
    ),
    (
        "band above the item's max",
        set_(("analysis",), {"covariates": [{"item": "age", "bands": [30, 81]}]}),
        "analysis.covariates[0].bands[1]: 81 is above the item's max 80: no answer can be in its "
        "band",
    ),
    (
        "bands out of order",
        set_(("analysis",), {"subgroups": [{"item": "age", "bands": [30, 25]}]}),
        "analysis.subgroups[0].bands[1]: 25 does not come after 30: list them in increasing order",
    ),
    (
        "no bands",
        set_(("analysis",), {"subgroups": [{"item": "age", "bands": []}]}),
        "analysis.subgroups[0].bands: at least one number is required (each starts a band)",
    ),
    (
        "covariate listed twice",
        set_(("analysis",), {"covariates": ["aimag", {"item": "aimag"}]}),
        'analysis.covariates[1].item: "aimag" is listed twice',
    ),
    (
        "too many grouping items",
        set_(("analysis",), {"subgroups": ["aimag"] + [f"x{i}" for i in range(5)]}),
        "analysis.subgroups: at most 5 items, not 6",
    ),
    (
        "a number as a covariate",
        set_(("analysis",), {"covariates": [3]}),
        "analysis.covariates[0]: expected a string or a mapping, got an integer (put it in quotes)",
    ),
    (
        "misspelt analysis field",
        set_(("analysis",), {"subgroup": ["aimag"]}),
        'analysis: unknown field "subgroup" (did you mean "subgroups"?)',
    ),
    # languages
    ("no language", set_(("languages",), []), "languages: at least one language is required"),
    (
        "invalid language code",
        set_(("languages", 1), "English"),
        'languages[1]: "English" is not a language code such as "mn" or "en"',
    ),
    # choices
    (
        "duplicate choice value in a list",
        set_(("choice_lists", "signs", 2, "value"), "passport"),
        'choice_lists.signs[2].value: duplicate choice value "passport" '
        "(first at choice_lists.signs[0])",
    ),
    (
        "duplicate inline choice value",
        set_(item(2, 3, "choices", 1, "value"), "a"),
        'sections[2].items[3].choices[1].value: duplicate choice value "a" '
        "(first at sections[2].items[3].choices[0])",
    ),
    (
        "invalid choice value",
        set_(("choice_lists", "aimags", 0, "value"), "darkhan uul"),
        'choice_lists.aimags[0].value: "darkhan uul" is not a valid choice value '
        '(letters, digits, "_" and "-")',
    ),
    (
        "empty choice list",
        set_(("choice_lists", "aimags"), []),
        "choice_lists.aimags: at least one choice is required",
    ),
    (
        "unknown choice list",
        set_(item(1, 1, "choices"), "aimag"),
        'sections[1].items[1].choices: unknown choice list "aimag" '
        "(defined: yes_no_dk, aimags, signs)",
    ),
    (
        "choice item without choices",
        delete(item(1, 1, "choices")),
        "sections[1].items[1].choices: missing (a choice item needs choices)",
    ),
    (
        "choices on an integer item",
        set_(item(1, 0, "choices"), "aimags"),
        "sections[1].items[0].choices: not allowed on integer items (only on choice, multi)",
    ),
    # correct and scoring
    (
        "correct not a choice",
        set_(item(2, 3, "correct"), "c"),
        'sections[2].items[3].correct: "c" is not one of the choices a, b, d',
    ),
    (
        "multi correct not a choice",
        set_(item(2, 1, "correct"), ["passport", "isolation"]),
        'sections[2].items[1].correct[1]: "isolation" is not one of the choices '
        "passport, debt, contract",
    ),
    (
        "correct on a likert item",
        set_(item(3, 0, "correct"), "a"),
        "sections[3].items[0].correct: not allowed on likert items (only on choice, multi)",
    ),
    (
        "correct as a list on a choice item",
        set_(item(2, 0, "correct"), ["no"]),
        "sections[2].items[0].correct: a choice item has one correct value, not a list "
        "(use type multi for several)",
    ),
    (
        "correct as a string on a multi item",
        set_(item(2, 1, "correct"), "debt"),
        'sections[2].items[1].correct: a multi item needs a list of correct values, e.g. ["debt"]',
    ),
    (
        "scoring without correct",
        set_(item(2, 2, "scoring"), "partial"),
        'sections[2].items[2].scoring: only a knowledge item (with "correct") has a scoring',
    ),
    (
        "scoring on a choice item",
        set_(item(2, 0, "scoring"), "partial"),
        "sections[2].items[0].scoring: not allowed on choice items (only on multi)",
    ),
    (
        "unknown scoring",
        set_(item(2, 1, "scoring"), "plus_minus"),
        'sections[2].items[1].scoring: "plus_minus" is not one of all_or_nothing, partial, '
        "corrected",
    ),
    # Likert
    (
        "unknown Likert scale",
        set_(item(3, 0, "scale"), "agree7"),
        'sections[3].items[0].scale: unknown Likert scale "agree7" (defined: agree5, agree4)',
    ),
    (
        "likert item without scale",
        delete(item(3, 0, "scale")),
        "sections[3].items[0].scale: missing (a likert item needs a scale)",
    ),
    (
        "Likert labels count differs from points",
        lambda d: d["likert_scales"]["agree5"]["labels"]["en"].pop(),
        "likert_scales.agree5.labels.en: 4 labels for 5 points",
    ),
    (
        "Likert points out of range",
        set_(("likert_scales", "agree4", "points"), 1),
        "likert_scales.agree4.points: must be from 2 to 11, not 1",
    ),
    (
        "Likert labels missing a language",
        delete(("likert_scales", "agree4", "labels", "mn")),
        'likert_scales.agree4.labels: missing "mn" labels',
    ),
    (
        "empty Likert label",
        set_(("likert_scales", "agree4", "labels", "en", 2), " "),
        "likert_scales.agree4.labels.en[2]: empty label",
    ),
    (
        "reverse on a choice item",
        set_(item(2, 0, "reverse"), True),
        "sections[2].items[0].reverse: not allowed on choice items (only on likert)",
    ),
    # bounds and lengths
    (
        "min greater than max",
        set_(item(1, 0, "min"), 90),
        "sections[1].items[0].min: 90 is greater than max 80",
    ),
    (
        "date min after max",
        set_(item(1, 2, "max"), "1999-12-31"),
        'sections[1].items[2].min: "2000-01-01" is greater than max "1999-12-31"',
    ),
    (
        "invalid date bound",
        set_(item(1, 2, "min"), "2000-02-30"),
        'sections[1].items[2].min: expected a date written YYYY-MM-DD, got "2000-02-30"',
    ),
    (
        "fractional bound on an integer item",
        set_(item(1, 0, "max"), 80.5),
        "sections[1].items[0].max: expected an integer, got 80.5",
    ),
    (
        "huge bound",
        set_(item(1, 0, "max"), 10**400),
        "sections[1].items[0].max: must be from -1e+15 to 1e+15",
    ),
    (
        "infinite bound",
        lambda d: item_of(d, "age").update(type="decimal", min=float("-inf")),
        "sections[1].items[0].min: expected a finite number, got -inf",
    ),
    (
        "bounds on a text item",
        set_(item(3, 4, "min"), 1),
        "sections[3].items[4].min: not allowed on text items (only on integer, decimal, date)",
    ),
    (
        "max_length out of range",
        set_(item(3, 4, "max_length"), 0),
        "sections[3].items[4].max_length: must be from 1 to 10000, not 0",
    ),
    (
        "hint on a note",
        set_(item(0, 0, "hint"), text("hint")),
        "sections[0].items[0].hint: not allowed on note items "
        "(only on choice, multi, likert, integer, decimal, text, date, consent, panel_code)",
    ),
    (
        "required note",
        set_(item(0, 0, "required"), True),
        "sections[0].items[0].required: not allowed on note items "
        "(only on choice, multi, likert, integer, decimal, text, date, consent, panel_code)",
    ),
    # expressions
    (
        "show_if syntax error",
        set_(("sections", 3, "show_if"), "consent == 'yes' and"),
        'sections[3].show_if: expected a value after "and" at position 17',
    ),
    (
        "show_if unknown item",
        set_(item(1, 1, "show_if"), "agee >= 18"),
        'sections[1].items[1].show_if: unknown item "agee" at position 0',
    ),
    (
        "show_if on a later item",
        set_(item(1, 1, "show_if"), "answered(age) and arrived > '2001-01-01'"),
        'sections[1].items[1].show_if: "arrived" at position 18 does not come before this item',
    ),
    (
        "show_if on the item itself",
        set_(item(1, 1, "show_if"), "answered(aimag)"),
        'sections[1].items[1].show_if: "aimag" at position 9 does not come before this item',
    ),
    (
        "section show_if on an item of the section",
        set_(("sections", 3, "show_if"), "a_report > 2"),
        'sections[3].show_if: "a_report" at position 0 does not come before this section',
    ),
    (
        "show_if on a note",
        set_(item(1, 0, "show_if"), "answered(intro)"),
        'sections[1].items[0].show_if: "intro" at position 9 is a note, which has no answer',
    ),
    (
        "selected() on an integer item",
        set_(item(1, 1, "show_if"), "selected(age, '18')"),
        "sections[1].items[1].show_if: selected() needs a choice or multi item, "
        '"age" at position 9 is an integer item',
    ),
    (
        "selected() with a value that is not a choice",
        set_(item(2, 2, "show_if"), "selected(k_signs, 'isolation')"),
        'sections[2].items[2].show_if: "k_signs" at position 9: '
        '"isolation" is not one of the choices passport, debt, contract',
    ),
    (
        "show_if comparing with a value that is not a choice",
        set_(("sections", 3, "show_if"), "consent == 'yse'"),
        'sections[3].show_if: "consent" at position 0: "yse" is not one of the choices yes, no',
    ),
    (
        "show_if testing a list of values",
        set_(item(3, 0, "show_if"), "aimag not in ['darkhan', 'uvs'] or age < 20"),
        'sections[3].items[0].show_if: "aimag" at position 0: '
        '"uvs" is not one of the choices darkhan, orkhon',
    ),
    (
        "show_if comparing a multi item",
        set_(item(3, 0, "show_if"), "'debt' == k_signs"),
        'sections[3].items[0].show_if: "k_signs" at position 10 is a multi item: '
        "test its answer with selected(k_signs, 'value')",
    ),
    # outcomes
    (
        "score outcome with an unknown item",
        append(("outcomes", "knowledge", "items"), "k_nothing"),
        'outcomes.knowledge.items[3]: unknown item "k_nothing"',
    ),
    (
        "score outcome with a non-knowledge item",
        append(("outcomes", "knowledge", "items"), "k_hotline"),
        'outcomes.knowledge.items[3]: "k_hotline" is not a knowledge item (it has no "correct")',
    ),
    (
        "scale outcome with a non-likert item",
        append(("outcomes", "confidence", "items"), "age"),
        'outcomes.confidence.items[2]: "age" is an integer item, a scale needs likert items',
    ),
    (
        "scale outcome mixing scales",
        append(("outcomes", "confidence", "items"), "a_four"),
        'outcomes.confidence.items[2]: "a_four" uses scale "agree4" but "a_report" uses "agree5"',
    ),
    (
        "reverse leaves out an item marked reverse",
        set_(("outcomes", "confidence", "reverse"), []),
        'outcomes.confidence.reverse: "a_help" is marked reverse: true but is not listed here',
    ),
    (
        "reverse lists an item not marked reverse",
        set_(("outcomes", "confidence", "reverse"), ["a_help", "a_report"]),
        'outcomes.confidence.reverse[1]: "a_report" is not marked reverse: true in its item',
    ),
    (
        "reverse lists an item outside the outcome",
        set_(("outcomes", "confidence", "reverse"), ["a_help", "a_four"]),
        'outcomes.confidence.reverse[1]: "a_four" is not one of the outcome\'s items',
    ),
    (
        "min_answered out of range",
        set_(("outcomes", "confidence", "min_answered"), 1.5),
        "outcomes.confidence.min_answered: must be a share more than 0 and at most 1, not 1.5",
    ),
    (
        "proportion of an integer item",
        set_(("outcomes", "would_report", "item"), "age"),
        'outcomes.would_report.item: "age" is an integer item, a proportion needs a choice, multi '
        "or consent item",
    ),
    (
        "proportion value not a choice",
        set_(("outcomes", "would_report", "value"), "maybe"),
        'outcomes.would_report.value: "maybe" is not one of the choices yes, no, dk',
    ),
    (
        "proportion values not choices",
        set_(("outcomes", "would_report", "value"), ["yes", "perhaps"]),
        'outcomes.would_report.value[1]: "perhaps" is not one of the choices yes, no, dk',
    ),
    (
        "proportion of a consent item",
        set_(
            ("outcomes", "would_report"),
            {"kind": "proportion", "label": text("x"), "item": "consent", "value": "ok"},
        ),
        'outcomes.would_report.value: "ok" is not one of the choices yes, no',
    ),
    (
        "proportion without value",
        delete(("outcomes", "would_report", "value")),
        "outcomes.would_report.value: missing (the answer whose share is reported)",
    ),
    (
        "field of another outcome kind",
        set_(("outcomes", "knowledge", "item"), "k_job_offer"),
        "outcomes.knowledge.item: not used by score outcomes",
    ),
    (
        "outcome label missing a language",
        delete(("outcomes", "knowledge", "label", "mn")),
        'outcomes.knowledge.label: missing "mn" text (the default language)',
    ),
    # structure
    (
        "missing outcome label",
        delete(("outcomes", "knowledge", "label")),
        'outcomes.knowledge: missing required field "label"',
    ),
    ("no section", set_(("sections",), []), "sections: at least one section is required"),
    (
        "section without items",
        set_(("sections", 1, "items"), []),
        "sections[1].items: at least one item is required",
    ),
    (
        "two panel_code items",
        set_(item(3, 4, "type"), "panel_code"),
        "sections[3].items[4].type: only one panel_code item is allowed "
        "(the first is sections[1].items[3])",
    ),
    (
        "misspelt field",
        set_(item(1, 0, "requird"), True),
        'sections[1].items[0]: unknown field "requird" (did you mean "required"?)',
    ),
    (
        "wrong type of value",
        set_(item(1, 0, "required"), "yes"),
        "sections[1].items[0].required: expected true or false, got a string",
    ),
    (
        "unknown item type",
        set_(item(2, 1, "type"), "multiple"),
        'sections[2].items[1].type: "multiple" is not one of choice, multi, likert, integer, '
        "decimal, text, date, consent, note, panel_code",
    ),
    (
        "number as a choice value",
        set_(("choice_lists", "yes_no_dk", 2, "value"), 3),
        "choice_lists.yes_no_dk[2].value: expected a string, got an integer (put it in quotes)",
    ),
    (
        "number inside correct",
        set_(item(2, 1, "correct"), ["debt", 2]),
        "sections[2].items[1].correct[1]: expected a string, got an integer (put it in quotes)",
    ),
    (
        "missing item key",
        delete(item(3, 1, "key")),
        'sections[3].items[1]: missing required field "key"',
    ),
    ("missing title", delete(("title",)), 'missing required field "title"'),
    (
        "text that is a string",
        set_(item(1, 0, "text"), "Age"),
        "sections[1].items[0].text: expected a mapping, got a string",
    ),
]


@pytest.mark.parametrize(
    ("mutation", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_one_mistake_gives_one_precise_message(mutation: Mutation, expected: str) -> None:
    assert errors_of(mutated(mutation)) == [expected]


CASE = {name: (mutation, message) for name, mutation, message in CASES}
MISSING_MN, MISSING_MN_MESSAGE = CASE["missing translation"]
NOT_A_CHOICE, NOT_A_CHOICE_MESSAGE = CASE["correct not a choice"]


def test_every_mistake_is_reported_at_once() -> None:
    chosen = [
        "missing translation",
        "duplicate item key",
        "correct not a choice",
        "Likert labels count differs from points",
        "min greater than max",
        "show_if syntax error",
        "selected() on an integer item",
        "scale outcome mixing scales",
        "proportion value not a choice",
    ]
    errors = errors_of(mutated(*(CASE[name][0] for name in chosen)))
    assert sorted(errors) == sorted(CASE[name][1] for name in chosen)


def test_every_structural_mistake_is_reported_at_once() -> None:
    errors = errors_of(
        mutated(
            set_(item(1, 0, "requird"), True),
            set_(item(2, 1, "type"), "multiple"),
            set_(("choice_lists", "yes_no_dk", 2, "value"), 3),
            delete(("outcomes", "knowledge", "label")),
        )
    )
    assert len(errors) == 4
    assert [e.split(":")[0] for e in errors] == [
        "sections[1].items[0]",
        "sections[2].items[1].type",
        "choice_lists.yes_no_dk[2].value",
        "outcomes.knowledge",
    ]


def test_error_messages_carry_the_source() -> None:
    with pytest.raises(InvalidDefinition) as caught:
        load_definition(yaml.safe_dump(mutated(NOT_A_CHOICE)), source="forms/base.yaml")
    assert caught.value.source == "forms/base.yaml"
    assert str(caught.value) == (
        'forms/base.yaml: sections[2].items[3].correct: "c" is not one of the choices a, b, d'
    )


# --------------------------------------------------------------------------------------------------
# Input that is not a definition at all


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("", "the definition is empty"),
        ("- a\n- b\n", "the definition must be a mapping (key: value lines), not a list"),
        ("just text", "the definition must be a mapping (key: value lines), not a string"),
        ("key: a\nkey: b\n", 'line 2, column 1: duplicate key "key"'),
        (
            "key: [a, b\n",
            "line 2, column 1: expected ',' or ']', but got '<stream end>' "
            "(while parsing a flow sequence at line 1)",
        ),
        ("a: b: c\n", "line 1, column 5: mapping values are not allowed here"),
        ("a: !!python/object:os.system x\n", None),
        (
            "a: !!timestamp nonsense\n",
            "line 1, column 4: the YAML tag tag:yaml.org,2002:timestamp is not supported here",
        ),
        ("a: &x [*x]\n", "a[0][0]...: nested more than 32 levels deep"),
        ('a: "\\0"\n', "a: contains a NUL character"),
        ("1: x\n", "the definition: key 1 is not a string"),
    ],
)
def test_broken_yaml_gives_one_clear_message(source: str, expected: str | None) -> None:
    with pytest.raises(InvalidDefinition) as caught:
        load_definition(source)
    assert len(caught.value.errors) == 1
    if expected is not None:
        assert caught.value.errors[0] == expected
    else:
        assert caught.value.errors[0].startswith("line 1, column 4: ")


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(InvalidDefinition, match="too large"):
        load_definition("\n".join(lines))


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(InvalidDefinition, match="nested more than 32 levels deep"):
        load_definition("a: " + "[" * 200 + "]" * 200)


def test_oversized_input_is_refused() -> None:
    big = "# " + "x" * MAX_DEFINITION_BYTES + "\nkey: a\n"
    for source in (big, big.encode()):
        with pytest.raises(InvalidDefinition) as caught:
            load_definition(source)
        assert caught.value.errors == [
            f"the definition is larger than {MAX_DEFINITION_BYTES} bytes"
        ]


def test_invalid_utf8_is_refused() -> None:
    with pytest.raises(InvalidDefinition) as caught:
        load_definition(b"key: \xff\n")
    assert caught.value.errors == ["not valid UTF-8 text (byte 5)"]


def test_utf8_bom_is_accepted() -> None:
    source = (DATA / "minimal.yaml").read_bytes()
    assert load_definition(b"\xef\xbb\xbf" + source) == load_definition(source)


# --------------------------------------------------------------------------------------------------
# Files


def test_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    path = str(tmp_path / "nothing.yaml")
    with pytest.raises(InvalidDefinition) as caught:
        load_file(path)
    assert caught.value.source == path
    assert caught.value.errors == ["file not found"]


def test_directory_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidDefinition) as caught:
        load_file(tmp_path)
    assert caught.value.errors == ["is a directory, not a file"]


def test_file_name_must_match_the_key(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_bytes((DATA / "minimal.yaml").read_bytes())
    with pytest.raises(InvalidDefinition) as caught:
        load_file(path)
    assert caught.value.errors == [
        'key: "minimal" does not match the file name "other.yaml" '
        "(rename the file minimal.yaml or change the key)"
    ]


def test_file_name_mismatch_is_reported_with_other_errors(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump(mutated(NOT_A_CHOICE)), encoding="utf-8")
    errors = check_files([path])[str(path)]
    assert errors == [NOT_A_CHOICE_MESSAGE, errors[1]]
    assert errors[1].startswith('key: "base" does not match the file name')


def test_check_files_reports_every_file(tmp_path: Path) -> None:
    broken = tmp_path / "base.yaml"
    broken.write_text(yaml.safe_dump(mutated(MISSING_MN, NOT_A_CHOICE)), encoding="utf-8")
    good = str(DATA / "minimal.yaml")
    missing = str(tmp_path / "missing.yaml")
    result = check_files([good, str(broken), missing])
    assert result == {
        good: [],
        str(broken): [MISSING_MN_MESSAGE, NOT_A_CHOICE_MESSAGE],
        missing: ["file not found"],
    }


# --------------------------------------------------------------------------------------------------
# Whatever the input, only InvalidDefinition


def _leaves(d: object) -> list[object]:
    if isinstance(d, dict):
        return [leaf for v in d.values() for leaf in _leaves(v)]
    if isinstance(d, list):
        return [leaf for v in d for leaf in _leaves(v)]
    return [d]


# Values taken from the valid definition keep many mutations structurally valid, so that they reach
# the semantic checks.
_VOCABULARY = [
    *sorted({repr(v): v for v in _leaves(BASE)}.values(), key=repr),
    "selected(k_signs, 'debt')",
    "answered(age) and age > 3",
    "consent in ['yes']",
]

_scalars = (
    st.sampled_from(_VOCABULARY)
    | st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["yes", "no", "dk", "a", "en", "mn", "choice", "multi", "likert", "score"])
)
_keys = st.text(max_size=12) | st.sampled_from(
    [
        "key",
        "type",
        "text",
        "items",
        "sections",
        "choices",
        "correct",
        "value",
        "label",
        "languages",
    ]
)
_nested = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=4),
    max_leaves=25,
)


def _loads_or_refuses(run: Callable[[], Questionnaire]) -> None:
    try:
        result = run()
    except InvalidDefinition as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
    else:
        assert isinstance(result, Questionnaire)


@settings(max_examples=150, deadline=None)
@given(_nested)
def test_arbitrary_objects_raise_only_invalid_definition(data: object) -> None:
    _loads_or_refuses(lambda: load_object(data))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=string.printable + "ЙөүÂ\u0301&*!|>-[]{}:#'\"", max_size=200))
def test_arbitrary_text_raises_only_invalid_definition(source: str) -> None:
    _loads_or_refuses(lambda: load_definition(source))


def _paths(d: object, prefix: Path_ = ()) -> list[Path_]:
    found = [prefix] if prefix else []
    if isinstance(d, dict):
        for k, v in d.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(d, list):
        for i, v in enumerate(d):
            found += _paths(v, (*prefix, i))
    return found


_BASE_PATHS = _paths(BASE)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_BASE_PATHS), _nested), min_size=1, max_size=3))
def test_mutated_definitions_raise_only_invalid_definition(
    changes: list[tuple[Path_, object]],
) -> None:
    # Mutating a valid definition reaches the semantic checks, which arbitrary objects rarely do.
    d = copy.deepcopy(BASE)
    for path, value in changes:
        try:
            _parent(d, path)[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the place
    _loads_or_refuses(lambda: load_object(d))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(_BASE_PATHS), _nested)
def test_mutated_yaml_raises_only_invalid_definition(path: Path_, value: object) -> None:
    d = copy.deepcopy(BASE)
    _parent(d, path)[path[-1]] = value
    _loads_or_refuses(lambda: load_definition(yaml.safe_dump(d, allow_unicode=True)))
