"""Tests of survey.analysis.scoring on tiny examples whose scores are worked out by hand below."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from survey.analysis.scoring import (
    frame_from_answers,
    frame_from_columns,
    item_correct,
    knowledge_scores,
    likert_matrix,
    outcome_scores,
    proportion,
    scale_scores,
)
from survey.errors import InvalidStatistics
from survey.questionnaire.load import load_definition

DEFINITION = """
key: tiny
languages: [en]
title: {en: Tiny}
choice_lists:
  ynd:
    - {value: "yes", label: {en: "Yes"}}
    - {value: "no", label: {en: "No"}}
    - {value: dk, label: {en: "Don't know"}}
  signs:
    - {value: passport, label: {en: Passport taken}}
    - {value: debt, label: {en: Debt}}
    - {value: isolation, label: {en: Isolation}}
    - {value: travel, label: {en: Travel}}
likert_scales:
  agree5: {points: 5, labels: {en: [SD, D, N, A, SA]}}
sections:
  - key: intro
    items:
      - {key: consent, type: consent, text: {en: "Do you agree?"}}
      - {key: age, type: integer, min: 18, max: 99, text: {en: "Age"}}
  - key: knowledge
    items:
      - {key: k_offer, type: choice, choices: ynd, correct: "no", text: {en: "Always safe?"}}
      - {key: k_passport, type: choice, choices: ynd, correct: "yes", text: {en: "Keep it?"}}
      - key: k_signs
        type: multi
        choices: signs
        correct: [passport, debt]
        scoring: partial
        text: {en: "Signs?"}
      - {key: k_all, type: multi, choices: signs, correct: [debt, isolation], text: {en: "Main?"}}
      - key: k_cond
        type: choice
        choices: ynd
        correct: "no"
        show_if: "k_offer == 'yes'"
        text: {en: "Follow-up"}
  - key: attitudes
    items:
      - {key: a_report, type: likert, scale: agree5, text: {en: I would report}}
      - {key: a_help, type: likert, scale: agree5, reverse: true, text: {en: Not my business}}
      - {key: a_hotline, type: likert, scale: agree5, text: {en: I know the hotline}}
      - {key: q_would, type: choice, choices: ynd, text: {en: "Would you report?"}}
outcomes:
  knowledge:
    kind: score
    label: {en: Knowledge}
    items: [k_offer, k_passport, k_signs, k_all, k_cond]
  confidence:
    kind: scale
    label: {en: Confidence}
    items: [a_report, a_help, a_hotline]
    reverse: [a_help]
  would_report: {kind: proportion, label: {en: Would report}, item: q_would, value: "yes"}
  would_or_dk: {kind: proportion, label: {en: Yes or dk}, item: q_would, value: ["yes", dk]}
  picks_debt: {kind: proportion, label: {en: Picks debt}, item: k_all, value: debt}
"""

Q = load_definition(DEFINITION)

# Five respondents. R4 did not complete the questionnaire; the others did.
ANSWERS: list[dict[str, object]] = [
    {  # R1
        "k_offer": "no",
        "k_passport": "dk",
        "k_signs": ["passport"],
        "k_all": ["debt", "isolation"],
        "a_report": 5,
        "a_help": 1,
        "a_hotline": 4,
        "q_would": "yes",
    },
    {  # R2
        "k_offer": "yes",
        "k_passport": "yes",
        "k_signs": [],
        "k_all": ["debt"],
        "k_cond": "no",
        "a_report": 2,
        "q_would": "no",
    },
    {"a_report": 3, "a_help": 4, "q_would": "dk"},  # R3: skipped every knowledge question
    {"k_offer": "no"},  # R4: stopped after the first knowledge question
    {  # R5
        "k_offer": "yes",
        "k_passport": "no",
        "k_signs": ["passport", "debt", "travel"],
        "k_all": ["debt", "isolation", "travel"],
        "a_report": 1,
        "a_help": 5,
        "a_hotline": 1,
        "q_would": "yes",
    },
]
COMPLETE = [True, True, True, False, True]
NAN = math.nan


def frame(**kwargs: object):
    return frame_from_answers(Q, ANSWERS, complete=COMPLETE, **kwargs)


def assert_same(actual: np.ndarray, expected: list[float]) -> None:
    np.testing.assert_allclose(actual, np.array(expected, dtype=float), rtol=0, atol=1e-12)


def test_frame_columns() -> None:
    f = frame()
    assert f.n == 5
    # Codes index the choices in list order: yes 0, no 1, dk 2; -1 for no answer.
    assert f.codes["k_offer"].tolist() == [1, 0, -1, 1, 0]
    assert f.values["k_signs"] == ("passport", "debt", "isolation", "travel")
    assert f.selected["k_signs"].astype(int).tolist() == [
        [1, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [1, 1, 0, 1],
    ]
    # R2's empty list is an answer ("none of these"); R3 and R4 gave none.
    assert f.answered("k_signs").tolist() == [True, True, False, False, True]
    assert_same(f.numbers["a_help"], [1, NAN, 4, NAN, 5])
    assert "age" in f.numbers and np.isnan(f.numbers["age"]).all()
    assert f.labels("k_offer").tolist() == ["no", "yes", None, "no", "yes"]
    assert f.invalid == {}


def test_choice_item_correct_dk_is_wrong_and_skips() -> None:
    # k_offer (correct "no"): R1 no → 1, R2 yes → 0, R3 skipped but completed, item shown to all → 0,
    # R4 no → 1, R5 yes → 0.
    assert_same(item_correct(Q, frame(), "k_offer"), [1, 0, 0, 1, 0])
    # k_passport (correct "yes"): R1 dk → 0, R2 → 1, R3 skipped → 0, R4 stopped before it (not
    # reached) → NaN, R5 no → 0.
    assert_same(item_correct(Q, frame(), "k_passport"), [0, 1, 0, NAN, 0])
    # The other reading: a skip is not an answer, wherever it happened.
    assert_same(item_correct(Q, frame(), "k_offer", skipped="missing"), [1, 0, NAN, 1, 0])
    with pytest.raises(InvalidStatistics, match="skipped"):
        item_correct(Q, frame(), "k_offer", skipped="zero")  # type: ignore[arg-type]


def test_multi_partial_and_all_or_nothing() -> None:
    # k_signs: correct {passport, debt} of passport, debt, isolation, travel; partial credit is the
    # share of the 4 choices classified right.
    # R1 {passport}: passport ✓, debt ✗, isolation ✓, travel ✓ → 3/4.
    # R2 {}: passport ✗, debt ✗, isolation ✓, travel ✓ → 2/4.
    # R3 no answer, completed → 0; R4 stopped before it → NaN.
    # R5 {passport, debt, travel}: ✓ ✓ ✓ ✗ → 3/4.
    assert_same(item_correct(Q, frame(), "k_signs"), [0.75, 0.5, 0, NAN, 0.75])
    # The same item scored all-or-nothing (the report's per-item proportions): nobody got all 4.
    assert_same(item_correct(Q, frame(), "k_signs", binary=True), [0, 0, 0, NAN, 0])
    # k_all: correct exactly {debt, isolation}; R1 exact → 1, R2 {debt} → 0, R5 one too many → 0.
    assert_same(item_correct(Q, frame(), "k_all"), [1, 0, 0, NAN, 0])


CORRECTED = load_definition(DEFINITION.replace("scoring: partial", "scoring: corrected"))


def test_multi_corrected_is_right_minus_wrong_floored() -> None:
    # k_signs scored corrected: correct {passport, debt} (C = 2) of 4 choices (K - C = 2 wrong):
    # max(0, R/2 - W/2).
    # R1 {passport}: 1/2 - 0 = 0.5. R2 {}: 0. R3 skipped, completed: 0. R4 unfinished: NaN.
    # R5 {passport, debt, travel}: 2/2 - 1/2 = 0.5 (partial credit gave it 0.75).
    f = frame_from_answers(CORRECTED, ANSWERS, complete=COMPLETE)
    assert_same(item_correct(CORRECTED, f, "k_signs"), [0.5, 0, 0, NAN, 0.5])
    # Everything selected: 2/2 - 2/2 = 0 (partial credit: 2/4). Only the wrong ones: floored at 0.
    # Exactly right: 1.
    picks = [
        {"k_signs": ["passport", "debt", "isolation", "travel"]},
        {"k_signs": ["isolation", "travel"]},
        {"k_signs": ["debt", "passport"]},
    ]
    f = frame_from_answers(CORRECTED, picks)
    assert_same(item_correct(CORRECTED, f, "k_signs"), [0, 0, 1])
    assert_same(item_correct(Q, frame_from_answers(Q, picks), "k_signs"), [0.5, 0, 1])
    # The report's per-item proportion stays all-or-nothing.
    assert_same(item_correct(CORRECTED, f, "k_signs", binary=True), [0, 0, 1])


FIVE = """
key: five
languages: [en]
title: {en: Five}
sections:
  - key: s
    items:
      - key: k
        type: multi
        text: {en: "Which?"}
        choices: [{value: a, label: {en: A}}, {value: b, label: {en: B}}, {value: c, label: {en: C}},
                  {value: d, label: {en: D}}, {value: e, label: {en: E}}]
        correct: [a, b, c]
        scoring: SCORING
"""


def test_corrected_on_the_issues_three_of_five_item() -> None:
    # Issue 18: 3 correct of 5. Partial credit gives 0.6 for selecting everything and 0.4 for
    # selecting nothing; corrected gives 0 to both. One right and one wrong: 1/3 - 1/2 < 0, so 0.
    # Two right: 2/3.
    answers = [{"k": ["a", "b", "c", "d", "e"]}, {"k": []}, {"k": ["a", "d"]}, {"k": ["a", "b"]}]
    partial = load_definition(FIVE.replace("SCORING", "partial"))
    assert_same(
        item_correct(partial, frame_from_answers(partial, answers), "k"), [0.6, 0.4, 0.4, 0.8]
    )
    corrected = load_definition(FIVE.replace("SCORING", "corrected"))
    assert_same(
        item_correct(corrected, frame_from_answers(corrected, answers), "k"), [0, 0, 0, 2 / 3]
    )


def test_corrected_agrees_with_a_slow_loop() -> None:
    rng = np.random.default_rng(18)
    signs = ["passport", "debt", "isolation", "travel"]
    wanted = {"passport", "debt"}
    answers = [{"k_signs": [s for s in signs if rng.random() < rng.random()]} for _ in range(300)]
    f = frame_from_answers(CORRECTED, answers)
    expected = []
    for a in answers:
        right = sum(s in wanted for s in a["k_signs"])
        wrong = len(a["k_signs"]) - right
        expected.append(max(0.0, right / 2 - wrong / 2))
    assert_same(item_correct(CORRECTED, f, "k_signs"), expected)


def test_corrected_with_every_choice_correct_is_the_share_selected() -> None:
    # No wrong choice to subtract: R/C.
    q = load_definition(
        FIVE.replace("[a, b, c]", "[a, b, c, d, e]").replace("SCORING", "corrected")
    )
    f = frame_from_answers(q, [{"k": ["b"]}, {"k": ["a", "b", "c", "d", "e"]}])
    assert_same(item_correct(q, f, "k"), [0.2, 1.0])


def test_conditional_item_is_administered_where_its_condition_holds() -> None:
    # k_cond is shown only when k_offer == 'yes', which the answers tell: R1 and R4 said "no" and R3
    # skipped k_offer, so it was hidden from them (NaN); R2 answered it ("no", right); R5 said "yes",
    # saw it and skipped it (0).
    assert frame().shown["k_cond"].tolist() == [False, True, False, False, True]
    assert_same(item_correct(Q, frame(), "k_cond"), [NAN, 1, NAN, NAN, 0])
    # A caller that knows better says so: then R5's skip is not administered either.
    shown = {"k_cond": [False, True, False, False, False]}
    assert_same(item_correct(Q, frame(shown=shown), "k_cond"), [NAN, 1, NAN, NAN, NAN])


def test_knowledge_scores() -> None:
    # Mean of the administered item scores (k_offer, k_passport, k_signs, k_all, k_cond):
    # R1 (1 + 0 + 0.75 + 1) / 4, k_cond hidden; R2 (0 + 1 + 0.5 + 0 + 1) / 5; R3 completed and
    # skipped every knowledge question it was shown: 0 / 4; R4 stopped after k_offer (right), the
    # rest not reached: 1; R5 (0 + 0 + 0.75 + 0 + 0) / 5, k_cond shown and skipped.
    assert_same(knowledge_scores(Q, frame(), "knowledge"), [2.75 / 4, 2.5 / 5, 0.0, 1.0, 0.75 / 5])
    # "Skipped = not answered": R3 has no score, R5's skip of k_cond is left out.
    assert_same(
        knowledge_scores(Q, frame(), "knowledge", skipped="missing"),
        [2.75 / 4, 2.5 / 5, NAN, 1.0, 0.75 / 4],
    )
    # A subset of the items (the report drops changed ones): k_offer and k_all only.
    assert_same(
        knowledge_scores(Q, frame(), "knowledge", items=["k_offer", "k_all"]),
        [1.0, 0.0, 0.0, 1.0, 0.0],
    )
    # Skipping only some items: k_offer 1, k_passport 0, k_signs 0, k_all 0 (skipped), k_cond
    # hidden → 1 / 4.
    f = frame_from_answers(Q, [{"k_offer": "no"}])
    assert_same(knowledge_scores(Q, f, "knowledge"), [0.25])


def test_one_rule_for_complete_and_unfinished_responses() -> None:
    # Two respondents skip k_passport and answer k_signs after it; one finishes, one stops there.
    # Both were shown k_passport and went past it, so both skips count as wrong; the items after
    # the unfinished respondent's last answer were not reached and count for nothing.
    answers = [
        {"k_offer": "no", "k_signs": ["passport", "debt"]},
        {"k_offer": "no", "k_signs": ["passport", "debt"]},
    ]
    f = frame_from_answers(Q, answers, complete=[True, False])
    assert f.last_answered.tolist() == [4, 4]  # k_signs is the 5th item
    assert_same(item_correct(Q, f, "k_passport"), [0, 0])
    assert_same(item_correct(Q, f, "k_all"), [0, NAN])
    # k_offer 1, k_passport 0, k_signs 1; k_all 0 for the one who finished; k_cond hidden.
    assert_same(knowledge_scores(Q, f, "knowledge"), [2 / 4, 2 / 3])


def test_knowledge_score_when_nothing_was_administered() -> None:
    # An unfinished response with no answer reached nothing: no score. One that answered an attitude
    # statement (after the knowledge section) went through the knowledge questions and skipped them.
    f = frame_from_answers(Q, [{}, {"a_report": 3}], complete=[False, False])
    assert_same(knowledge_scores(Q, f, "knowledge"), [NAN, 0.0])
    assert np.isnan(knowledge_scores(Q, f, "knowledge", skipped="missing")).all()


GATED = """
key: gated
languages: [en]
title: {en: Gated}
sections:
  - key: start
    items:
      - {key: consent, type: consent, text: {en: "Agree?"}}
      - {key: name, type: text, text: {en: "Name"}}
      - {key: n, type: integer, text: {en: "How many?"}}
  - key: knowledge
    show_if: "consent == 'yes'"
    items:
      - key: k1
        type: choice
        text: {en: "K1"}
        choices: [{value: a, label: {en: A}}, {value: b, label: {en: B}}]
        correct: a
      - key: k2
        type: choice
        text: {en: "K2"}
        show_if: "answered(name) and n >= 2"
        choices: [{value: a, label: {en: A}}, {value: b, label: {en: B}}]
        correct: b
"""


def test_a_section_behind_consent_counts_skips_of_those_who_agreed() -> None:
    # The shipped questionnaires put their knowledge sections behind "consent == 'yes'".
    q = load_definition(GATED)
    answers = [
        {"consent": "yes", "name": "x", "n": 3},  # shown k1 and k2, skipped both
        {"consent": "yes", "n": 3},  # k2 hidden: no name
        {"consent": "yes", "name": "x", "n": 1, "k1": "a"},  # k2 hidden: n < 2
        {"consent": "no"},  # nothing shown
    ]
    f = frame_from_answers(q, answers)
    assert_same(item_correct(q, f, "k1"), [0, 0, 1, NAN])
    assert_same(item_correct(q, f, "k2"), [0, NAN, NAN, NAN])
    # Without the columns an expression refers to (a caller that read only the scored items), the
    # items behind it are unknown and count as not shown.
    partial = frame_from_columns(q, {"k1": [None, None, "a", None], "n": [3, 3, 1, None]})
    assert "k1" not in partial.shown and "k2" not in partial.shown
    assert_same(item_correct(q, partial, "k1"), [NAN, NAN, 1, NAN])


def test_visibility_is_the_forms_own_evaluation_row_by_row() -> None:
    """Random answers, some corrupt: the shown masks equal the expression evaluated on each response
    by the evaluator the form uses (survey.questionnaire.expressions.evaluate)."""
    from survey.questionnaire.expressions import evaluate, parse

    q = load_definition(GATED)
    rng = np.random.default_rng(3)
    odd = [None, "yes", "no", 1, True, 2.0, "2", [], ["x"], {"a": 1}, "", 0]
    answers = []
    for _ in range(400):
        a = {
            "consent": odd[rng.integers(len(odd))] if rng.random() < 0.2 else "yes",
            "name": odd[rng.integers(len(odd))],
            "n": odd[rng.integers(len(odd))] if rng.random() < 0.5 else int(rng.integers(0, 4)),
        }
        answers.append({k: v for k, v in a.items() if v is not None})
    f = frame_from_answers(q, answers)
    section, k2 = parse("consent == 'yes'"), parse("answered(name) and n >= 2")
    assert f.shown["k1"].tolist() == [evaluate(section, a) for a in answers]
    assert f.shown["k2"].tolist() == [evaluate(section, a) and evaluate(k2, a) for a in answers]


def test_scale_scores_reverse_and_min_answered() -> None:
    # a_help is reversed: 5 + 1 - x. Default min_answered 0.5 of 3 items → 2 answers needed.
    # R1 (5, 6-1, 4) → 14/3; R2 only a_report → NaN; R3 (3, 6-4) → 2.5; R4 none → NaN;
    # R5 (1, 6-5, 1) → 1.
    assert_same(scale_scores(Q, frame(), "confidence"), [14 / 3, NAN, 2.5, NAN, 1.0])
    # min_answered 0.3 of 3 → 1 answer is enough: R2 → 2.
    assert_same(scale_scores(Q, frame(), "confidence", 0.3), [14 / 3, 2.0, 2.5, NAN, 1.0])
    # min_answered 1 → all 3 needed.
    assert_same(scale_scores(Q, frame(), "confidence", 1.0), [14 / 3, NAN, NAN, NAN, 1.0])
    matrix = likert_matrix(Q, frame(), ["a_report", "a_help"])
    assert_same(matrix[:, 1], [5, NAN, 2, NAN, 1])


def test_min_answered_out_of_range() -> None:
    with pytest.raises(InvalidStatistics, match="min_answered"):
        scale_scores(Q, frame(), "confidence", 0.0)


def test_proportion() -> None:
    # q_would == "yes": R1 1, R2 0, R3 dk → 0, R4 no answer → NaN, R5 1.
    assert_same(proportion(Q, frame(), "would_report"), [1, 0, 0, NAN, 1])
    # A list of values: yes or dk.
    assert_same(proportion(Q, frame(), "would_or_dk"), [1, 0, 1, NAN, 1])
    # A multi item: "debt" selected among answered (R3, R4 gave no answer).
    assert_same(proportion(Q, frame(), "picks_debt"), [1, 1, NAN, NAN, 1])


def test_outcome_scores_names_every_outcome() -> None:
    scores = outcome_scores(Q, frame())
    assert list(scores) == list(Q.outcomes)
    assert_same(scores["would_report"], [1, 0, 0, NAN, 1])


def test_wrong_kind_and_unknown_names() -> None:
    f = frame()
    with pytest.raises(InvalidStatistics, match="not a scale"):
        scale_scores(Q, f, "knowledge")
    with pytest.raises(InvalidStatistics, match="no outcome"):
        knowledge_scores(Q, f, "nothing")
    with pytest.raises(InvalidStatistics, match="not a knowledge item"):
        item_correct(Q, f, "q_would")
    with pytest.raises(InvalidStatistics, match="not among"):
        knowledge_scores(Q, f, "knowledge", items=["a_report"])


def test_corrupt_answers_are_missing_and_counted() -> None:
    answers = [
        {"k_offer": "maybe", "a_report": 7, "a_help": "3", "k_signs": ["passport", "nope"]},
        {"k_offer": ["no"], "a_report": 2.5, "a_help": True, "k_signs": "passport"},
        {"k_offer": "no", "a_report": 4, "a_help": 2, "k_signs": ["debt"]},
    ]
    f = frame_from_answers(Q, answers)
    assert f.codes["k_offer"].tolist() == [-1, -1, 1]
    assert_same(f.numbers["a_report"], [NAN, NAN, 4])
    assert_same(f.numbers["a_help"], [NAN, NAN, 2])
    assert f.selected["k_signs"].astype(int).tolist() == [[1, 0, 0, 0], [0] * 4, [0, 1, 0, 0]]
    assert f.answered("k_signs").tolist() == [True, False, True]
    assert f.invalid == {"k_offer": 2, "a_report": 2, "a_help": 2, "k_signs": 2}


def test_frame_from_columns_matches_frame_from_answers() -> None:
    keys = [item.key for item in Q.items()]
    columns = {key: [a.get(key) for a in ANSWERS] for key in keys}
    by_columns = frame_from_columns(Q, columns, complete=COMPLETE)
    by_answers = frame()
    for key in ("knowledge", "confidence", "would_report"):
        np.testing.assert_array_equal(
            outcome_scores(Q, by_columns)[key], outcome_scores(Q, by_answers)[key]
        )
    with pytest.raises(InvalidStatistics, match="different numbers"):
        frame_from_columns(Q, {"k_offer": ["no"], "a_report": [1, 2]})


def test_empty_frame() -> None:
    f = frame_from_answers(Q, [])
    assert f.n == 0
    for values in outcome_scores(Q, f).values():
        assert values.shape == (0,)


def test_vectorised_scoring_agrees_with_a_slow_loop() -> None:
    """Random answers: the vectorised scores equal a per-respondent computation written out here."""
    rng = np.random.default_rng(7)
    ynd, signs = ["yes", "no", "dk"], ["passport", "debt", "isolation", "travel"]
    answers, complete = [], []
    for _ in range(300):
        a: dict[str, object] = {}
        for key in ("k_offer", "k_passport", "q_would"):
            if rng.random() < 0.85:
                a[key] = ynd[rng.integers(3)]
        if a.get("k_offer") == "yes" and rng.random() < 0.8:
            a["k_cond"] = ynd[rng.integers(3)]
        for key in ("k_signs", "k_all"):
            if rng.random() < 0.85:
                a[key] = [s for s in signs if rng.random() < 0.5]
        for key in ("a_report", "a_help", "a_hotline"):
            if rng.random() < 0.7:
                a[key] = int(rng.integers(1, 6))
        answers.append(a)
        complete.append(bool(rng.random() < 0.9))

    order = [item.key for item in Q.items()]

    def right(key: str, a: dict[str, object], done: bool) -> float | None:
        item = Q.item(key)
        if key not in a:
            shown = key != "k_cond" or a.get("k_offer") == "yes"
            reached = done or any(order.index(k) >= order.index(key) for k in a)
            return 0.0 if shown and reached else None
        if item.type == "choice":
            return float(a[key] == item.correct)
        picked, wanted = set(a[key]), set(item.correct)
        if item.scoring == "partial":
            return sum((s in picked) == (s in wanted) for s in signs) / len(signs)
        return float(picked == wanted)

    expected_k, expected_s = [], []
    for a, done in zip(answers, complete, strict=True):
        scores = [
            right(k, a, done) for k in ("k_offer", "k_passport", "k_signs", "k_all", "k_cond")
        ]
        scores = [s for s in scores if s is not None]
        expected_k.append(sum(scores) / len(scores) if scores else NAN)
        likert = [
            6 - a[k] if k == "a_help" else a[k]
            for k in ("a_report", "a_help", "a_hotline")
            if k in a
        ]
        expected_s.append(sum(likert) / len(likert) if len(likert) >= 2 else NAN)
    f = frame_from_answers(Q, answers, complete=complete)
    assert_same(knowledge_scores(Q, f, "knowledge"), expected_k)
    assert_same(scale_scores(Q, f, "confidence"), expected_s)


def test_the_worked_examples_of_the_format_document_are_what_the_code_computes() -> None:
    # docs/questionnaire-format.md, "Scoring multi-choice knowledge items": 5 choices, 3 correct.
    doc = (Path(__file__).resolve().parents[2] / "docs" / "questionnaire-format.md").read_text(
        encoding="utf-8"
    )
    selections = [["passport", "debt"], ["passport", "travel"], SIGNS_OF_DOC, []]
    seen = set()
    for line in doc.splitlines():
        rule = re.match(r"\| `(all_or_nothing|partial|corrected)`", line)
        if not rule:
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")][2:]
        documented = [float(re.search(r"(\d+(?:\.\d+)?)$", cell).group(1)) for cell in cells]
        q = load_definition(DOC_ITEM.replace("SCORING", rule.group(1)))
        f = frame_from_answers(q, [{"k": s} for s in selections])
        np.testing.assert_allclose(item_correct(q, f, "k"), documented, atol=0.005)
        seen.add(rule.group(1))
    assert seen == {"all_or_nothing", "partial", "corrected"}


SIGNS_OF_DOC = ["passport", "debt", "isolation", "travel", "job"]
DOC_ITEM = """
key: doc
languages: [en]
title: {en: Doc}
sections:
  - key: s
    items:
      - key: k
        type: multi
        text: {en: "Which are signs?"}
        choices: [{value: passport, label: {en: P}}, {value: debt, label: {en: D}},
                  {value: isolation, label: {en: I}}, {value: travel, label: {en: T}},
                  {value: job, label: {en: J}}]
        correct: [passport, debt, isolation]
        scoring: SCORING
"""
