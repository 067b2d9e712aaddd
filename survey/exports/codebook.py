"""The codebook of an export: every item (the union of the versions) and outcome, and every column.

As JSON (:func:`codebook_json`), as CSV (:func:`codebook_csv`, one row per item and outcome) and as the
Excel workbook's ``codebook`` sheet (:func:`codebook_table`). In the CSV, a text that begins with a
formula character gets a ``'`` in front, as in the responses (:func:`survey.exports.csv.neutralise`); the
codebook's notes say so, on the free-text items and for the whole file.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import msgspec

from survey.exports.csv import neutralise
from survey.exports.plan import ChoiceInfo, Column, ExportPlan, ItemInfo

__all__ = [
    "Codebook",
    "CodebookEntry",
    "codebook",
    "codebook_csv",
    "codebook_json",
    "codebook_table",
]


class CodebookEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One item or outcome: what it asked, how it is stored, which columns hold it."""

    item: str
    type: str
    section: str | None
    text: dict[str, str]
    choices: list[ChoiceInfo]
    scale_labels: dict[str, list[str]] | None
    correct: str | list[str] | None
    scoring: str | None
    reverse: bool
    fingerprint: str | None
    fingerprints: dict[str, str]
    versions: list[int]
    columns: list[str]
    spss_names: list[str]
    notes: str = ""
    """How the item's cells are written, where a reader of the data needs to know."""


class Codebook(msgspec.Struct, frozen=True, kw_only=True):
    campaign: str
    design: str
    questionnaire: str
    waves: list[dict[str, Any]]
    languages: list[str]
    label_language: str
    statuses: list[str]
    entries: list[CodebookEntry]
    columns: list[Column]
    notes: list[str]


FREE_TEXT_NOTE = (
    "In the CSV file, an answer that begins with =, +, -, @, a tab or a carriage return has a ' put in "
    "front of it, so that a spreadsheet shows it as text instead of running it as a formula; the Excel "
    "and SPSS files keep it as it was typed."
)
CSV_NOTES = [
    "CSV files: a text cell (a free-text answer, or a text of this codebook) that begins with =, +, -, "
    "@, a tab or a carriage return has a ' put in front of it, so that a spreadsheet shows it as text "
    "instead of running it as a formula (OWASP, CSV injection). Numbers are written as they are. The "
    "Excel and SPSS files store every text as text, unchanged.",
]


def _item_notes(item: ItemInfo) -> str:
    return FREE_TEXT_NOTE if item.free_text else ""


def codebook(plan: ExportPlan) -> Codebook:
    """The codebook of an export: every item (union of the versions) and outcome, and every column."""
    by_key: dict[str, list[Column]] = {}
    for column in plan.columns:
        if column.kind in ("item", "choice"):
            by_key.setdefault(column.key or "", []).append(column)
    entries = [
        CodebookEntry(
            item=i.key,
            type=i.type,
            section=i.section,
            text=i.text,
            choices=i.choices,
            scale_labels=i.scale_labels,
            correct=i.correct,
            scoring=i.scoring,
            reverse=i.reverse,
            fingerprint=i.fingerprint,
            fingerprints=i.fingerprints,
            versions=i.versions,
            columns=[c.name for c in by_key.get(i.key, [])],
            spss_names=[c.spss_name for c in by_key.get(i.key, [])],
            notes=_item_notes(i),
        )
        for i in plan.items
    ]
    outcome_columns = {c.key: c for c in plan.columns if c.kind == "outcome"}
    for o in plan.outcomes:
        column = outcome_columns[o.key]
        entries.append(
            CodebookEntry(
                item=column.name,
                type=f"outcome:{o.kind}",
                section=None,
                text=o.label,
                choices=[],
                scale_labels=None,
                correct=None,
                scoring=None,
                reverse=False,
                fingerprint=None,
                fingerprints={},
                versions=o.versions,
                columns=[column.name],
                spss_names=[column.spss_name],
            )
        )
    return Codebook(
        campaign=plan.campaign.key,
        design=plan.campaign.design,
        questionnaire=plan.campaign.questionnaire,
        waves=[
            {"key": w.key, "phase": w.phase, "arm": w.arm, "version": w.version} for w in plan.waves
        ],
        languages=plan.languages,
        label_language=plan.language,
        statuses=list(plan.statuses),
        entries=entries,
        columns=plan.columns,
        notes=CSV_NOTES,
    )


def codebook_json(plan: ExportPlan) -> bytes:
    return msgspec.json.format(msgspec.json.encode(codebook(plan)), indent=2) + b"\n"


def codebook_table(plan: ExportPlan) -> list[list[Any]]:
    """The codebook as rows (header first): for the CSV file and the Excel sheet."""
    languages = plan.languages
    header = [
        "item", "type", "section", *(f"text_{lang}" for lang in languages), "choices",
        *(f"choice_labels_{lang}" for lang in languages), "choice_codes", "correct", "scoring",
        "reverse", "fingerprint", "fingerprints", "versions", "columns", "spss_names", "notes",
    ]  # fmt: skip
    rows: list[list[Any]] = [header]
    for e in codebook(plan).entries:
        labels = [
            "|".join(c.label.get(lang, "") for c in e.choices)
            if e.choices
            else "|".join((e.scale_labels or {}).get(lang, []))
            for lang in languages
        ]
        rows.append(
            [
                e.item,
                e.type,
                e.section or "",
                *(e.text.get(lang, "") for lang in languages),
                "|".join(c.value for c in e.choices),
                *labels,
                "|".join(str(c.code) for c in e.choices),
                "|".join(e.correct) if isinstance(e.correct, list) else e.correct or "",
                e.scoring or "",
                "true" if e.reverse else "",
                e.fingerprint or "",
                ";".join(f"{v}={h}" for v, h in e.fingerprints.items()),
                " ".join(str(v) for v in e.versions),
                " ".join(e.columns),
                " ".join(e.spss_names),
                e.notes,
            ]
        )
    return rows


def codebook_csv(plan: ExportPlan) -> bytes:
    """One row per item and per outcome; lists inside a cell are separated by ``|``. Every text that
    begins with a formula character gets a ``'`` in front (:func:`~survey.exports.csv.neutralise`)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        [neutralise(cell) if isinstance(cell, str) else cell for cell in row]
        for row in codebook_table(plan)
    )
    return buffer.getvalue().encode()
