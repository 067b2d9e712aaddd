"""A wave's responses collapsed to cells with counts: what the report needs, at a cost free of n.

Every number of the campaign report (:func:`survey.analysis.report.build_report`) is a function of a
few per-response values: an outcome's score under each reading of skipped questions, an item's score,
the response's cluster label and its covariate and grouping answers, and, for the reliability of a
scale, the item-by-item cross products of its complete rows. Scores take few distinct values (a
knowledge score of ten items takes at most 11 per pattern of shown items; a Likert item five), so a
wave of any size collapses to a table of distinct values with counts (frequency weights).

:class:`WaveCells` holds that table for one wave:

* ``strata``: the distinct combinations of the response's *attributes* (its cluster label and its
  answers to the analysis block's covariates and grouping items), each with its count;
* ``subjects``: per requested score (an outcome's or an item's, under one reading), the distinct
  values within each stratum with their counts;
* ``moments``: per reliability scale, the count, sums and cross-product sums of its complete rows.

Two things make it exact rather than approximate. Expanding a subject's cells (each value repeated
its count, strata in a fixed order) gives the wave's values in another order, and every statistic
the report computes is symmetric in the rows; and the attributes expanded the same way line up row for
row with every subject, because each subject's counts in a stratum add up to that stratum's count.
So the report computed from cells equals the report from rows to rounding (the property test in
tests/analysis/test_cells.py holds it to 1e-9). Every estimator of the report has a weighted form
(means, standard deviations, Welch and Hedges' g, counts of proportions, Cronbach's alpha from
moments, the difference in differences, and the regressions of the adjusted and subgroup effects, fitted
on the distinct rows with their counts), so the report never expands cells to rows: its cost is that of
the cells. A subject's cells carry the index of their stratum (:meth:`WaveCells.by_stratum`), which is
how a regression finds each cell's covariates and a subgroup its cells.

Summaries add: :func:`combine` of the cells of two disjoint sets of responses is the cells of their
union, so a summary can be kept per wave and brought up to date with only the responses completed
since. Panels are not collapsed: matching a respondent before and after needs the rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import msgspec
import numpy as np

__all__ = [
    "Cells",
    "Clustered",
    "Moments",
    "WaveCells",
    "build",
    "combine",
    "compatible",
    "decode",
    "encode",
    "subject_key",
]


def subject_key(kind: str, name: str, reading: str, items: Sequence[str] = ()) -> str:
    """The name under which a wave's cells keep one score: what is scored, how, and on which items."""
    return msgspec.json.encode([kind, name, reading, list(items)]).decode()


class Cells:
    """A sample given as values with counts (frequency weights); NaN marks "no value".

    The weighted statistics below equal the ordinary ones of the expanded sample
    (:meth:`rows`) up to rounding; a value may appear in several cells. ``strata``, when given, is
    the index of each cell's stratum in its wave's :attr:`WaveCells.strata`.
    """

    __slots__ = ("counts", "strata", "values")

    def __init__(
        self, values: np.ndarray, counts: np.ndarray, strata: np.ndarray | None = None
    ) -> None:
        self.values = np.asarray(values, dtype=float)
        self.counts = np.asarray(counts, dtype=np.int64)
        self.strata = strata

    @classmethod
    def of(cls, x: np.ndarray) -> Cells:
        """The cells of a sample of rows."""
        x = np.asarray(x, dtype=float)
        nan = np.isnan(x)
        values, counts = np.unique(x[~nan], return_counts=True)
        if nan.any():
            values = np.append(values, np.nan)
            counts = np.append(counts, int(nan.sum()))
        return cls(values, counts)

    @property
    def size(self) -> int:
        return int(self.counts.sum())

    def rows(self) -> np.ndarray:
        """The sample as rows: each value repeated its count."""
        return np.repeat(self.values, self.counts)

    def present(self) -> Cells:
        """The cells without "no value"."""
        return self.select(~np.isnan(self.values) & (self.counts > 0))

    def select(self, keep: np.ndarray) -> Cells:
        """The cells where ``keep`` is True."""
        strata = None if self.strata is None else self.strata[keep]
        return Cells(self.values[keep], self.counts[keep], strata)

    def sum(self) -> float:
        # Not np.dot: on a few thousand cells BLAS may start threads, which on a busy machine made
        # one sum take milliseconds (measured at a million responses with an analysis block).
        return float(np.sum(self.values * self.counts)) if self.values.size else 0.0

    def mean(self) -> float:
        return self.sum() / self.size

    def std(self, ddof: int = 0) -> float:
        deviations = self.values - self.mean()
        squares = float(np.sum(self.counts * (deviations * deviations)))  # not np.dot: see sum
        return math.sqrt(squares / (self.size - ddof))

    def ptp(self) -> float:
        return float(self.values.max() - self.values.min())

    def max_abs(self) -> float:
        return float(np.max(np.abs(self.values)))

    def __truediv__(self, scale: float) -> Cells:
        return Cells(self.values / scale, self.counts, self.strata)

    def same(self, other: Cells) -> bool:
        return bool(
            np.array_equal(self.values, other.values, equal_nan=True)
            and np.array_equal(self.counts, other.counts)
        )


class Clustered:
    """A sample as cells within clusters: each cell's cluster label ("" for none), value and count.

    ``labels`` is None when the sample has no cluster labels at all; ``strata`` as for :class:`Cells`.
    """

    __slots__ = ("counts", "labels", "strata", "values")

    def __init__(
        self,
        labels: np.ndarray | None,
        values: np.ndarray,
        counts: np.ndarray,
        strata: np.ndarray | None = None,
    ) -> None:
        self.labels = labels
        self.values = np.asarray(values, dtype=float)
        self.counts = np.asarray(counts, dtype=np.int64)
        self.strata = strata

    @property
    def size(self) -> int:
        return int(self.counts.sum())

    def present(self) -> Clustered:
        """The cells without "no value"."""
        return self.select(~np.isnan(self.values) & (self.counts > 0))

    def select(self, keep: np.ndarray) -> Clustered:
        """The cells where ``keep`` is True."""
        labels = None if self.labels is None else self.labels[keep]
        strata = None if self.strata is None else self.strata[keep]
        return Clustered(labels, self.values[keep], self.counts[keep], strata)

    def cells(self) -> Cells:
        """The sample without its clusters (cells of the same value added)."""
        return _merged(self.values, self.counts)

    def same(self, other: Clustered) -> bool:
        return (
            (self.labels is None) == (other.labels is None)
            and (self.labels is None or bool(np.array_equal(self.labels, other.labels)))
            and bool(np.array_equal(self.values, other.values, equal_nan=True))
            and bool(np.array_equal(self.counts, other.counts))
        )


class Moments(msgspec.Struct, frozen=True):
    """The complete rows of an item matrix, summarised for Cronbach's alpha.

    ``rows`` all rows, ``n`` the complete ones (no missing answer), ``sums`` and ``cross`` their
    column sums and cross-product sums, ``max_abs_total`` the largest magnitude of a row total (the
    scale of :func:`survey.analysis.reliability` 's zero-variance test).
    """

    rows: int
    n: int
    sums: list[float]
    cross: list[list[float]]
    max_abs_total: float

    @classmethod
    def of(cls, matrix: np.ndarray) -> Moments:
        x = np.asarray(matrix, dtype=float)
        complete = x[~np.isnan(x).any(axis=1)]
        totals = complete.sum(axis=1)
        return cls(
            rows=int(x.shape[0]),
            n=int(complete.shape[0]),
            sums=complete.sum(axis=0).tolist(),
            cross=(complete.T @ complete).tolist(),
            max_abs_total=float(np.max(np.abs(totals))) if totals.size else 0.0,
        )

    def __add__(self, other: Moments) -> Moments:
        return Moments(
            rows=self.rows + other.rows,
            n=self.n + other.n,
            sums=(np.asarray(self.sums) + np.asarray(other.sums)).tolist(),
            cross=(np.asarray(self.cross) + np.asarray(other.cross)).tolist(),
            max_abs_total=max(self.max_abs_total, other.max_abs_total),
        )


# A stratum's attributes: the cluster label (None for none) and each analysis variable's value
# (a level code, or a number; None for no answer).
Attribute = str | int | float | None


class _Subject(msgspec.Struct, frozen=True, array_like=True):
    stratum: list[int]
    value: list[float | None]
    count: list[int]


class _Stored(msgspec.Struct, frozen=True, array_like=True):
    n: int
    attributes: list[str]
    strata: list[list[Attribute]]
    stratum_counts: list[int]
    subjects: dict[str, _Subject]
    moments: dict[str, Moments]


@dataclass(frozen=True, eq=False)
class WaveCells:
    """One wave's complete responses as cells (see the module docstring).

    Attributes
    ----------
    n
        Number of complete responses.
    attributes
        The names of the attributes: ``"cluster"`` first when the report reads clusters, then the
        analysis variables' item keys.
    strata
        The distinct attribute combinations, in a fixed order, and ``stratum_counts`` theirs.
    subjects
        Subject key (:func:`subject_key`) → per stratum, its values and counts.
    moments
        Subject key → the reliability moments of a scale.
    """

    n: int
    attributes: tuple[str, ...] = ()
    strata: tuple[tuple[Attribute, ...], ...] = ((),)
    stratum_counts: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    subjects: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    moments: Mapping[str, Moments] = field(default_factory=dict)

    def column(self, name: str) -> np.ndarray:
        """An attribute's value in each stratum, in the order of :attr:`strata` (an object array)."""
        j = self.attributes.index(name)
        column = np.empty(len(self.strata), dtype=object)
        column[:] = [stratum[j] for stratum in self.strata]
        return column

    def cells(self, key: str) -> Cells:
        """A subject's values over the whole wave, as cells (strata merged)."""
        _, values, counts = self.subjects[key]
        return _merged(values, counts)

    def by_stratum(self, key: str) -> Cells:
        """A subject's cells as they are stored: per stratum, with the index of each one's stratum."""
        strata, values, counts = self.subjects[key]
        return Cells(values, counts, strata)

    def clustered(self, key: str) -> Clustered:
        """A subject's cells per stratum (as :meth:`by_stratum`) with the cluster label of each."""
        strata, values, counts = self.subjects[key]
        if "cluster" not in self.attributes:
            return Clustered(None, values, counts, strata)
        j = self.attributes.index("cluster")
        names = np.array(
            ["" if s[j] is None else str(s[j]) for s in self.strata] or [""], dtype=str
        )
        return Clustered(names[strata], values, counts, strata)


def _merged(values: np.ndarray, counts: np.ndarray) -> Cells:
    """Cells of the same value (from different strata) added together."""
    nan = np.isnan(values)
    unique, inverse = np.unique(values[~nan], return_inverse=True)
    summed = np.bincount(inverse, weights=counts[~nan], minlength=unique.size).astype(np.int64)
    if nan.any():
        unique = np.append(unique, np.nan)
        summed = np.append(summed, int(counts[nan].sum()))
    return Cells(unique, summed)


def _sort_key(value: Attribute) -> tuple[int, str | float]:
    if value is None:
        return (2, 0.0)
    if isinstance(value, str):
        return (1, value)
    return (0, float(value))


def _plain(value: object) -> Attribute:
    """An attribute as a plain, hashable JSON value: None for a missing one."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return None
    return int(number) if isinstance(value, int | np.integer) else number


def build(
    n: int,
    attributes: Mapping[str, Sequence[object] | np.ndarray],
    subjects: Mapping[str, np.ndarray],
    moments: Mapping[str, Moments],
) -> WaveCells:
    """The cells of a wave from its rows.

    Parameters
    ----------
    n
        Number of complete responses.
    attributes
        Attribute name → its value in every response (None or NaN for none).
    subjects
        Subject key → its value in every response (NaN for none).
    moments
        Subject key → reliability moments, already summarised.
    """
    names = tuple(attributes)
    columns = [[_plain(v) for v in np.asarray(attributes[a], dtype=object).tolist()] for a in names]
    keys = list(zip(*columns, strict=True)) if names else [()] * n
    index = {stratum: i for i, stratum in enumerate(dict.fromkeys(keys))}
    strata = list(index)
    codes = np.fromiter((index[k] for k in keys), dtype=np.int64, count=n)
    per_subject: dict[str, tuple[list[int], list[float | None], list[int]]] = {}
    for key, values in subjects.items():
        # Few distinct values: one 1-D unique (NaN merged into one, last) and a count per
        # (stratum, value) pair, rather than sorting the rows by both.
        distinct, inverse = np.unique(np.asarray(values, dtype=float), return_inverse=True)
        tally = np.bincount(
            codes * distinct.size + inverse.reshape(-1), minlength=len(strata) * distinct.size
        )
        cells = np.flatnonzero(tally)
        per_subject[key] = (
            (cells // max(distinct.size, 1)).tolist(),
            [
                None if math.isnan(v) else v
                for v in distinct[cells % max(distinct.size, 1)].tolist()
            ],
            tally[cells].tolist(),
        )
    stratum_counts = np.bincount(codes, minlength=len(strata)).astype(np.int64).tolist()
    stored = _Stored(
        n=n,
        attributes=list(names),
        strata=[list(s) for s in strata],
        stratum_counts=stratum_counts,
        subjects={k: _Subject(*v) for k, v in per_subject.items()},
        moments=dict(moments),
    )
    return _canonical(stored)


def _canonical(stored: _Stored) -> WaveCells:
    """Strata in a fixed order, values ascending within each (no value last); empty strata dropped."""
    strata = [tuple(s) for s in stored.strata]
    order = sorted(
        (i for i in range(len(strata)) if stored.stratum_counts[i] > 0),
        key=lambda i: [_sort_key(v) for v in strata[i]],
    )
    position = np.full(len(strata), -1, dtype=np.int64)
    position[order] = np.arange(len(order))
    subjects: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for key, subject in stored.subjects.items():
        # Sorted in numpy, not as Python tuples: a stored summary holds thousands of cells per score,
        # and this runs on every report that reads one.
        counts = np.array(subject.count, dtype=np.int64)
        keep = counts > 0
        stratum = position[np.array(subject.stratum, dtype=np.int64)][keep]
        values = np.array(
            [math.nan if v is None else v for v in subject.value], dtype=float
        ).reshape(-1)[keep]
        counts = counts[keep]
        missing = np.isnan(values)
        # By stratum, then value ascending with no value last (then count, as ties never occur).
        rows = np.lexsort((counts, missing, np.where(missing, math.inf, values), stratum))
        subjects[key] = (stratum[rows], values[rows], counts[rows])
    if not stored.attributes:
        return WaveCells(
            n=stored.n,
            stratum_counts=np.array([stored.n], dtype=np.int64),
            subjects=subjects,
            moments=dict(stored.moments),
        )
    return WaveCells(
        n=stored.n,
        attributes=tuple(stored.attributes),
        strata=tuple(strata[i] for i in order),
        stratum_counts=np.array([stored.stratum_counts[i] for i in order], dtype=np.int64),
        subjects=subjects,
        moments=dict(stored.moments),
    )


def _stored(cells: WaveCells) -> _Stored:
    return _Stored(
        n=cells.n,
        attributes=list(cells.attributes),
        strata=[list(s) for s in cells.strata],
        stratum_counts=[int(c) for c in cells.stratum_counts],
        subjects={
            key: _Subject(
                s.tolist(), [None if math.isnan(v) else v for v in v_.tolist()], c.tolist()
            )
            for key, (s, v_, c) in cells.subjects.items()
        },
        moments=dict(cells.moments),
    )


def compatible(a: WaveCells, b: WaveCells) -> bool:
    """Whether the two were made with the same attributes and subjects, so that they add."""
    return (
        a.attributes == b.attributes
        and set(a.subjects) == set(b.subjects)
        and set(a.moments) == set(b.moments)
    )


def combine(parts: Iterable[WaveCells]) -> WaveCells:
    """The cells of the union of disjoint sets of one wave's responses.

    Raises
    ------
    ValueError
        When the parts were summarised with different attributes or subjects (different inputs).
    """
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    if not all(compatible(first, part) for part in parts[1:]):
        raise ValueError("cells of different inputs cannot be combined")
    strata: dict[tuple[Attribute, ...], int] = {}
    tallies: dict[str, dict[tuple[tuple[Attribute, ...], float | None], int]] = {
        key: {} for key in first.subjects
    }
    for part in parts:
        for stratum, count in zip(part.strata, part.stratum_counts.tolist(), strict=True):
            strata[stratum] = strata.get(stratum, 0) + count
        for key, (s, v, c) in part.subjects.items():
            tally = tallies[key]
            for si, value, count in zip(s.tolist(), v.tolist(), c.tolist(), strict=True):
                cell = (part.strata[si], None if math.isnan(value) else value)
                tally[cell] = tally.get(cell, 0) + count
    names = list(strata)
    where = {stratum: i for i, stratum in enumerate(names)}
    moments = {key: _sum_moments([part.moments[key] for part in parts]) for key in first.moments}
    stored = _Stored(
        n=sum(part.n for part in parts),
        attributes=list(first.attributes),
        strata=[list(s) for s in names],
        stratum_counts=[strata[s] for s in names],
        subjects={
            key: _Subject(
                [where[cell[0]] for cell in tally],
                [cell[1] for cell in tally],
                list(tally.values()),
            )
            for key, tally in tallies.items()
        },
        moments=moments,
    )
    return _canonical(stored)


def _sum_moments(parts: Sequence[Moments]) -> Moments:
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def encode(cells: WaveCells) -> bytes:
    """The cells as bytes (MessagePack), for the summary table."""
    return msgspec.msgpack.encode(_stored(cells))


def decode(data: bytes) -> WaveCells:
    """The cells that :func:`encode` stored."""
    return _canonical(msgspec.msgpack.decode(data, type=_Stored))
