"""How many real XLSForms pyxform converts, and how many of those survey imports.

    python benchmarks/xlsform_corpus.py [FOLDER]

Reads every workbook listed in ``FOLDER/corpus.json`` (default: tests/fixtures/xlsform-real, the
committed corpus; a folder of one's own with its own corpus.json works too), converts it with pyxform
(ODK Validate not run) and imports it with :func:`survey.questionnaire.xlsform.import_xlsform`, and
prints one line per form (pyxform yes/no, import yes/no, seconds, and the first refusal) and the
totals. Target (issue 16): survey imports at least 85% of the forms pyxform converts, and refuses the
others with a message naming the true cause. Exit 1 below the target.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import warnings
from pathlib import Path

from pyxform.xls2xform import convert

from survey.errors import InvalidDefinition
from survey.questionnaire.xlsform import import_xlsform

TARGET = 0.85
DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "xlsform-real"


def pyxform_converts(path: Path) -> bool:
    try:
        convert(xlsform=path.read_bytes(), validate=False, file_type=path.suffix)
    except Exception:  # pyxform raises many kinds; any of them means it refuses the form
        return False
    return True


def main(folder: Path) -> int:
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)  # pyxform logs a warning per odd column
    forms = [
        f for f in json.loads((folder / "corpus.json").read_text()) if (folder / f["file"]).exists()
    ]
    accepted = imported = 0
    for form in forms:
        path = folder / form["file"]
        converts = pyxform_converts(path)
        started = time.perf_counter()
        try:
            import_xlsform(path)
            ours, why = True, ""
        except InvalidDefinition as exc:
            ours, why = False, exc.errors[0]
        seconds = time.perf_counter() - started
        accepted += converts
        imported += converts and ours
        print(
            f"{form['file']:55} pyxform {'yes' if converts else 'no ':3}  survey "
            f"{'yes' if ours else 'no ':3}  {seconds:5.2f} s  {why[:110]}"
        )
    share = imported / accepted if accepted else 0.0
    print(
        f"{len(forms)} forms; pyxform converts {accepted}; survey imports {imported} of those "
        f"({share:.0%}, target {TARGET:.0%})"
    )
    return 0 if share >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
