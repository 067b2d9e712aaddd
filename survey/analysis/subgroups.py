"""Does the effect differ between groups? The interaction test behind the report's subgroup effects.

The report estimates each outcome's effect within each group of a grouping item (``analysis.subgroups``:
an aimag, an age band, a sector) with the design's own method, and adjusts their p-values by Holm across
the groups (:mod:`survey.analysis.report`). Whether the groups' effects differ is a separate question, and
the groups' intervals do not answer it: one group's interval excluding zero while another's includes it
says nothing about their difference (Gelman & Stern 2006). :func:`interaction_test` answers it.

Method
------
One regression in which every group has its own parameters: for K groups, the design's columns (an
intercept, and for independent samples the wave, for a comparison design the wave, the arm and their
product) each multiplied by each group's indicator. The effect of group k is then its own coefficient
(its wave coefficient, its wave × arm coefficient, or for a panel the mean of its within-person changes),
equal to the effect the group's data give alone. The test is the Wald test that the K effects are equal
(K − 1 contrasts against the first group), with the robust covariance that matches the groups' own
intervals: HC2 for independent samples and panels (with one group it is Welch's variance, and the
classical variance of a group's mean change), HC1 for a comparison design, cluster-robust (CR1) when the
comparison design is clustered; F with K − 1 and the residual (or, clustered, the clusters' G − 1)
degrees of freedom. For a share it tests the differences of proportions, the scale the report shows.

References
----------
Gelman A. & Stern H. (2006) The difference between "significant" and "not significant" is not itself
statistically significant. The American Statistician 60(4):328–331.
Imbens G.W. & Kolesár M. (2016) Robust standard errors in small samples: some practical advice. Review of
Economics and Statistics 98(4):701–712.
Wang R., Lagakos S.W., Ware J.H., Hunter D.J. & Drazen J.M. (2007) Statistics in medicine: reporting of
subgroup analyses in clinical trials. New England Journal of Medicine 357(21):2189–2194.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from survey.analysis.adjustment import frequency_weights, least_squares
from survey.errors import InvalidStatistics

__all__ = ["Interaction", "interaction_test"]


@dataclass(frozen=True)
class Interaction:
    """The test that the groups' effects are equal: F with ``df`` (numerator, denominator), and p.

    ``groups`` is the number of groups compared, ``clusters`` the number of clusters of a
    cluster-robust test (None without clusters).
    """

    statistic: float
    df: tuple[float, float]
    p_value: float
    groups: int
    method: str
    clusters: int | None = None


def interaction_test(
    y: np.ndarray,
    group: np.ndarray,
    terms: Sequence[np.ndarray] = (),
    *,
    cluster: np.ndarray | None = None,
    cov_type: str = "HC2",
    counts: np.ndarray | None = None,
) -> Interaction:
    """Test whether an effect is the same in every group (see the module docstring).

    The regression with group-specific parameters is solved group by group (its cross-product
    matrix is block-diagonal), so the cost grows with the rows, not with the rows times the groups:
    a group's coefficients and residuals are those of its own fit, its HC2 leverages too; HC1 and CR1
    scale the sandwich by the joint model's n/(n − k) (and G/(G − 1) for clusters), k counting every
    group's parameters, as statsmodels does for the one regression.

    Rows may be distinct rows with ``counts`` (the report's cells): every respondent of a distinct
    row has its residual and leverage, so each adds its count times its term to the sandwich (to its
    cluster's sum), and n counts respondents; rows are distinct rows that count once.

    Parameters
    ----------
    y : numpy.ndarray
        The outcome (for a panel: each person's change), one value per row, no NaN.
    group : numpy.ndarray of int
        The group of each row, any integer codes.
    terms : sequence of numpy.ndarray
        The design's columns besides the intercept, the effect's last: ``[post]`` for independent
        samples, ``[]`` for a panel's changes (the effect is the group's mean), ``[post, treated,
        post * treated]`` for a comparison design.
    cluster : numpy.ndarray, optional
        Cluster codes per row: cluster-robust (CR1) covariance with t(G − 1).
    cov_type : str
        ``"HC2"`` (independent samples, panels) or ``"HC1"`` (a comparison design), without clusters.
    counts : numpy.ndarray, optional
        How many respondents each row stands for (frequency weights); one each by default.

    Returns
    -------
    Interaction

    Raises
    ------
    InvalidStatistics
        Fewer than two groups, lengths that differ, non-finite values, a group whose effect cannot be
        estimated (a cell of the design without rows), or effects without variance.

    Examples
    --------
    In R: ``fit <- lm(y ~ 0 + g + g:post)`` then
    ``car::linearHypothesis(fit, c("ga:post = gb:post", "ga:post = gc:post"),
    vcov. = sandwich::vcovHC(fit, type = "HC2"), test = "F")``.
    """
    y = np.asarray(y, dtype=float)
    codes = np.asarray(group)
    if y.ndim != 1 or codes.shape != y.shape or any(np.shape(t) != y.shape for t in terms):
        raise InvalidStatistics("interaction test: one value per row for y, group and each term")
    if not np.all(np.isfinite(y)):
        raise InvalidStatistics("y: contains missing or non-finite values; drop them first")
    if cov_type not in ("HC1", "HC2"):
        raise InvalidStatistics(f'cov_type: "HC1" or "HC2", not {cov_type!r}')
    weights = frequency_weights(counts, y.size)
    levels, index = np.unique(codes, return_inverse=True)
    index = index.reshape(-1)
    count = int(levels.size)
    if count < 2:
        raise InvalidStatistics("interaction test: needs at least two groups")
    design = np.column_stack([np.ones(y.size), *(np.asarray(t, dtype=float) for t in terms)])
    width = design.shape[1]
    n, k = int(weights.sum()), count * width
    if n <= k:
        raise InvalidStatistics("interaction test: fewer rows than parameters")
    cluster_codes = None
    if cluster is not None:
        _, cluster_codes = np.unique(np.asarray(cluster), return_inverse=True)
    clusters = None if cluster_codes is None else int(cluster_codes.max()) + 1
    effects = np.empty(count)
    # Per group: the effect coefficient's influence, a' (X'WX)^-1 x_i e_i for each of its rows.
    influence = np.zeros(y.size)
    variances = np.empty(count)
    for g in range(count):
        rows = np.flatnonzero(index == g)
        x, target, w = design[rows], y[rows], weights[rows]
        try:
            beta, inverse, residual, leverage = least_squares(x, target, w)
        except np.linalg.LinAlgError:
            raise InvalidStatistics(
                "interaction test: a group's effect cannot be estimated (a cell without rows)"
            ) from None
        if cov_type == "HC2" and cluster_codes is None:
            if np.any(leverage[w > 0] >= 1 - 1e-12):
                raise InvalidStatistics("interaction test: a row alone in its cell (leverage 1)")
            residual = residual / np.sqrt(np.clip(1 - leverage, 1e-12, None))
        effects[g] = beta[-1]
        influence[rows] = (x @ inverse[-1]) * residual
        variances[g] = float(w @ influence[rows] ** 2)
    if cluster_codes is None or clusters is None:
        covariance = np.diag(variances * (n / (n - k) if cov_type == "HC1" else 1.0))
        df_denominator = float(n - k)
        method = f"wald f, {cov_type.lower()}"
    else:
        # Each cluster's summed influence on each group's effect; groups share clusters.
        summed = np.zeros((clusters, count))
        np.add.at(summed, (cluster_codes, index), weights * influence)
        factor = clusters / (clusters - 1) * (n - 1) / (n - k) if clusters > 1 else math.nan
        covariance = factor * (summed.T @ summed)
        df_denominator = float(clusters - 1)
        method = "wald f, cluster-robust"
    contrasts = np.zeros((count - 1, count))
    contrasts[:, 0] = -1.0
    contrasts[np.arange(count - 1), np.arange(1, count)] = 1.0
    contrast_covariance = contrasts @ covariance @ contrasts.T
    # A contrast whose variance is only rounding (groups whose every answer is the same) cannot be
    # tested: the same threshold as the effect functions' (a spread under 1e-12 of the data's size).
    noise = 1e-12 * max(float(np.max(np.abs(y))), 1e-300)
    diagonal = np.diag(contrast_covariance)
    if not np.all(np.isfinite(contrast_covariance)) or np.any(
        np.sqrt(np.clip(diagonal, 0, None)) <= noise
    ):
        raise InvalidStatistics("interaction test: the groups' effects have no variance to compare")
    gap = contrasts @ effects
    try:
        statistic = float(gap @ np.linalg.solve(contrast_covariance, gap)) / (count - 1)
    except np.linalg.LinAlgError:
        raise InvalidStatistics(
            "interaction test: the groups' effects have no variance to compare"
        ) from None
    if not math.isfinite(statistic) or statistic < 0 or df_denominator < 1:
        raise InvalidStatistics("interaction test: the groups' effects have no variance to compare")
    p_value = float(stats.f.sf(statistic, count - 1, df_denominator))
    return Interaction(
        statistic=statistic,
        df=(float(count - 1), df_denominator),
        p_value=p_value,
        groups=count,
        method=method,
        clusters=clusters,
    )
