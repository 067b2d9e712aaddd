"""Tests of survey.analysis.multiplicity against a published example, hand computation and
statsmodels' independent implementation."""

from __future__ import annotations

import gc
import math
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from survey.analysis.multiplicity import adjust_pvalues
from survey.errors import InvalidStatistics

# Benjamini & Hochberg (1995), section 4: the 15 p-values of Neuhaus et al.'s thrombolysis
# study. At level 0.05 the BH procedure rejects the four smallest; a Bonferroni-type procedure
# (Holm: 0.0095 > 0.05/12) rejects only three.
BH_1995 = [
    0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
    0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000,
]  # fmt: skip

# Holm by hand, m = 15: (m - i + 1) p_(i) = 0.0015, 0.0056, 0.0247, 0.114, 0.2211, 0.278,
# 0.2682, 0.2752, 0.3213, 1.944 ... capped at 1, then the running maximum.
HOLM_BY_HAND = [
    0.0015, 0.0056, 0.0247, 0.114, 0.2211, 0.278, 0.278, 0.278,
    0.3213, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
]  # fmt: skip

# BH by hand, m = 15: (15 / i) p_(i) = 0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0695,
# 0.0638571, 0.0645, 0.0765, 0.486, 0.5811818, 0.714875, 0.7532308, 0.8132143, 1.0,
# then the running minimum from the largest down (0.0695 becomes 0.0638571).
BH_BY_HAND = [
    0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571, 0.0638571, 0.0645,
    0.0765, 0.486, 0.5811818, 0.714875, 0.7532308, 0.8132143, 1.0,
]  # fmt: skip


def test_holm_on_the_benjamini_hochberg_example() -> None:
    adjusted = adjust_pvalues(BH_1995)
    assert adjusted == pytest.approx(HOLM_BY_HAND, abs=5e-8)
    assert (adjusted <= 0.05).sum() == 3


def test_bh_on_the_benjamini_hochberg_example() -> None:
    adjusted = adjust_pvalues(BH_1995, method="bh")
    assert adjusted == pytest.approx(BH_BY_HAND, abs=5e-8)
    # The paper's conclusion: the four smallest are rejected at 0.05.
    assert list(adjusted <= 0.05) == [True] * 4 + [False] * 11


def test_holm_is_the_default() -> None:
    assert adjust_pvalues([0.01, 0.02, 0.5]) == pytest.approx([0.03, 0.04, 0.5])


def test_result_keeps_the_input_order() -> None:
    reversed_input = BH_1995[::-1]
    assert adjust_pvalues(reversed_input) == pytest.approx(HOLM_BY_HAND[::-1], abs=5e-8)
    assert adjust_pvalues(reversed_input, method="bh") == pytest.approx(BH_BY_HAND[::-1], abs=5e-8)


def test_nan_passes_through_and_does_not_count_in_m() -> None:
    p = [0.01, math.nan, 0.04, 0.03, math.nan]
    for method in ("holm", "bh"):
        adjusted = adjust_pvalues(p, method=method)
        assert math.isnan(adjusted[1]) and math.isnan(adjusted[4])
        # m = 3: the same as adjusting the three real p-values alone.
        alone = adjust_pvalues([0.01, 0.04, 0.03], method=method)
        assert adjusted[[0, 2, 3]] == pytest.approx(alone)
    # Holm with m = 3 by hand: 3 * 0.01, max(2 * 0.03, .) = 0.06, max(1 * 0.04, 0.06) = 0.06.
    assert adjust_pvalues(p)[[0, 2, 3]] == pytest.approx([0.03, 0.06, 0.06])


def test_none_counts_as_missing() -> None:
    adjusted = adjust_pvalues([0.01, None, 0.02])
    assert math.isnan(adjusted[1])
    assert adjusted[[0, 2]] == pytest.approx([0.02, 0.02])


def test_empty_and_all_missing() -> None:
    assert adjust_pvalues([]).shape == (0,)
    assert np.isnan(adjust_pvalues([math.nan, math.nan])).all()


def test_shape_is_kept() -> None:
    p = np.array([[0.01, 0.2], [0.03, 0.04]])
    adjusted = adjust_pvalues(p)
    assert adjusted.shape == (2, 2)
    assert adjusted.ravel() == pytest.approx(adjust_pvalues(p.ravel()))


@pytest.mark.parametrize(
    "p, method, message",
    [
        ([0.1, 1.2], "holm", r"\[0, 1\]"),
        ([-0.1, 0.2], "bh", r"\[0, 1\]"),
        ([0.1, "x"], "holm", "not numeric"),
        ([0.1, 0.2], "bonferroni", "method"),
    ],
)
def test_invalid_input_raises(p: list, method: str, message: str) -> None:
    with pytest.raises(InvalidStatistics, match=message):
        adjust_pvalues(p, method=method)  # type: ignore[arg-type]


# Many ties (a coarse grid) and exact 0 and 1 exercise the step-down and step-up boundaries.
p_lists = st.lists(
    st.one_of(st.sampled_from([0.0, 0.01, 0.05, 0.5, 1.0]), st.floats(0.0, 1.0)),
    min_size=1,
    max_size=30,
)


def statsmodels_adjusted(p: list[float], method: str) -> np.ndarray:
    # multipletests runs gc.collect() on every call, which costs a tenth of a second inside a
    # test session; it has no bearing on the numbers.
    with mock.patch.object(gc, "collect", return_value=0):
        return multipletests(p, method=method)[1]


@settings(max_examples=80, deadline=None)
@given(p_lists)
def test_agrees_with_statsmodels_multipletests(p: list[float]) -> None:
    expected_holm = statsmodels_adjusted(p, "holm")
    expected_bh = statsmodels_adjusted(p, "fdr_bh")
    assert adjust_pvalues(p) == pytest.approx(expected_holm, rel=1e-12, abs=1e-15)
    assert adjust_pvalues(p, method="bh") == pytest.approx(expected_bh, rel=1e-12, abs=1e-15)


@settings(max_examples=80, deadline=None)
@given(p_lists)
def test_properties_of_adjusted_p_values(p: list[float]) -> None:
    raw = np.array(p)
    holm = adjust_pvalues(raw)
    bh = adjust_pvalues(raw, method="bh")
    assert (holm >= bh - 1e-15).all()  # FWER control is stricter than FDR control
    assert (bh >= raw - 1e-15).all()
    assert (holm <= 1.0).all() and (bh <= 1.0).all()
    order = np.argsort(raw, kind="stable")
    assert (np.diff(holm[order]) >= 0).all()
    assert (np.diff(bh[order]) >= 0).all()


@settings(max_examples=40, deadline=None)
@given(p_lists, st.randoms(use_true_random=False))
def test_permuting_the_input_permutes_the_output(p: list[float], random: object) -> None:
    index = list(range(len(p)))
    random.shuffle(index)  # type: ignore[attr-defined]
    shuffled = [p[i] for i in index]
    for method in ("holm", "bh"):
        assert adjust_pvalues(shuffled, method=method) == pytest.approx(
            adjust_pvalues(p, method=method)[index]
        )
