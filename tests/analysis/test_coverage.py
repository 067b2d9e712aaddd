"""Coverage of intervals in seeded simulations (slow: run with ``-m slow``, or in the whole suite).

Each test draws samples from a model whose true effect is known, computes the interval with the
library, and counts how often it contains the truth. With R replications the Monte Carlo standard error
of a 95% coverage is sqrt(0.95 · 0.05 / R): 0.0022 for R = 10,000.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from survey.analysis import effects as ef


@pytest.mark.slow
def test_welch_type_g_interval_covers_with_unequal_variances() -> None:
    # Issue 18's case: n = 12 with SD 2.5 after, n = 40 with SD 1 before. The true g is the mean
    # difference over the population pooled SD at these sizes (what s_p estimates).
    rng = np.random.default_rng(20261218)
    n_a, n_b, sd_a, sd_b, delta, reps = 12, 40, 2.5, 1.0, 0.5, 10_000
    sigma = math.sqrt(((n_a - 1) * sd_a**2 + (n_b - 1) * sd_b**2) / (n_a + n_b - 2))
    welch = pooled = 0
    for _ in range(reps):
        a, b = rng.normal(delta * sigma, sd_a, n_a), rng.normal(0.0, sd_b, n_b)
        g = ef.hedges_g(a, b, equal_var=False)
        welch += g.ci_low <= delta <= g.ci_high
        equal = ef.hedges_g(a, b)
        pooled += equal.ci_low <= delta <= equal.ci_high
    assert abs(welch / reps - 0.95) <= 0.01
    # The equal-variance interval, for contrast, covers about 80% here.
    assert pooled / reps < 0.85


@pytest.mark.slow
@pytest.mark.parametrize("delta", [1.0, 1.5])
def test_standardized_did_interval_covers(delta: float) -> None:
    # Issue 18: four cells of 20, SD 1, the campaign arm's post cell shifted by delta; the true
    # standardised DiD is delta. Dividing the raw interval by the pre SD covered 0.944 and 0.928.
    rng = np.random.default_rng(int(delta * 1000) + 2026)
    n, reps = 20, 10_000
    post = np.repeat([1.0, 0.0, 1.0, 0.0], n)
    treated = np.repeat([1.0, 1.0, 0.0, 0.0], n)
    fieller = naive = 0
    for _ in range(reps):
        y = rng.normal(0.0, 1.0, 4 * n) + delta * post * treated
        raw = ef.difference_in_differences(y, post, treated)
        e = ef.standardized_difference_in_differences(y, post, treated, raw=raw)
        fieller += e.ci_low <= delta <= e.ci_high
        pre = y[post == 0]
        sd = math.sqrt((np.var(pre[:n], ddof=1) + np.var(pre[n:], ddof=1)) / 2)
        naive += raw.ci_low / sd <= delta <= raw.ci_high / sd
    assert abs(fieller / reps - 0.95) <= 0.01
    assert naive / reps < 0.947
