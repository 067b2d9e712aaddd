"""An XLSForm import in a child process whose memory and time are bounded.

A workbook from outside is checked against the limits of :mod:`survey.questionnaire.workbook` before it
is read; the child process is what holds when something gets past them (a crafted ``.xls``, whose cells
are only located once read, or a fault in the spreadsheet reader, which is native code). The child may
use :data:`MEMORY_LIMIT` bytes of address space and :data:`CPU_SECONDS` of processor time, and is given
:data:`WALL_SECONDS` in all; at most :data:`CONCURRENT_IMPORTS` run at once per process. If it dies,
the server (or the command line) goes on and the import is refused with a message that names the limit.

The console's upload and ``survey forms import-xlsform`` both import this way. The workbook travels to
the child on its standard input and the questionnaire comes back on its standard output, both as
MessagePack; the questionnaire is validated again on arrival, as any definition from outside would be.
"""

from __future__ import annotations

import logging
import os
import resource
import signal
import subprocess
import sys
import threading
from typing import Any, Final

import msgspec

from survey.errors import InvalidDefinition, InvalidExpression
from survey.questionnaire.load import Problem, load_object, problem
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.xlsform import ReportLine, import_xlsform, workbook_data

__all__ = [
    "CONCURRENT_IMPORTS",
    "CPU_SECONDS",
    "MEMORY_LIMIT",
    "WALL_SECONDS",
    "import_xlsform_isolated",
]

#: Address space of the child, in bytes. The child's interpreter and reader take about 30 MB; a form
#: within the workbook limits, a few tens more. An .xls sheet laid out to its last possible cell
#: (65,536 × 256) would need more than this, and is refused.
MEMORY_LIMIT: Final = 512 * 1024 * 1024
#: Processor seconds of the child. Reading the largest workbook within the limits takes a few.
CPU_SECONDS: Final = 30
#: Seconds from the start of the child to its answer, waiting included.
WALL_SECONDS: Final = 60
#: Imports running at once in one server process; another waits for a place (up to WALL_SECONDS).
CONCURRENT_IMPORTS: Final = 2

_places = threading.BoundedSemaphore(CONCURRENT_IMPORTS)
log = logging.getLogger(__name__)


class _Request(msgspec.Struct, frozen=True):
    data: bytes
    source: str
    language: str | None


class _Reply(msgspec.Struct, frozen=True):
    definition: dict[str, object] | None = None
    report: list[ReportLine] = []
    errors: list[tuple[str, str, str, dict[str, Any]]] = []
    """Each problem as (path, code, line, params), so that it comes back whole (an empty code: a line
    from outside the loader and the importer's own rules)."""
    expression: tuple[str, int, str] | None = None


def _sent(errors: list[str]) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [
        (getattr(e, "path", ""), getattr(e, "code", ""), str(e), getattr(e, "params", {}))
        for e in errors
    ]


def _received(errors: list[tuple[str, str, str, dict[str, Any]]]) -> list[str]:
    return [
        Problem.rebuilt(path, code, line, params) if code else line
        for path, code, line, params in errors
    ]


def import_xlsform_isolated(
    workbook: bytes | str | os.PathLike[str],
    *,
    source: str | None = None,
    language: str | None = None,
) -> tuple[Questionnaire, list[ReportLine]]:
    """:func:`~survey.questionnaire.xlsform.import_xlsform` in a bounded child process.

    Blocks while the child runs (call it from a thread in async code).

    Raises
    ------
    InvalidDefinition
        What the import raises, and a refusal naming the limit when the child ran out of memory or
        time, or no place was free for it.
    InvalidExpression
        What the import raises.
    """
    data, name = workbook_data(workbook, source)
    request = msgspec.msgpack.encode(_Request(data=data, source=name, language=language))
    if not _places.acquire(timeout=WALL_SECONDS):
        busy = "other workbooks are being imported; please try again in a minute"
        raise InvalidDefinition([problem("", "import_busy", busy)], source=name)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "survey.questionnaire.isolated"],
            input=request,
            capture_output=True,
            timeout=WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        slow = problem(
            "",
            "import_too_slow",
            "reading the workbook took longer than {seconds} seconds, the most an import may take",
            seconds=WALL_SECONDS,
        )
        raise InvalidDefinition([slow], source=name) from None
    finally:
        _places.release()
    if done.returncode != 0:
        if done.returncode == 1:  # an exception the import did not expect: for the operator's log
            log.error("XLSForm import of %s failed: %s", name, done.stderr.decode(errors="replace"))
        raise InvalidDefinition([_death(done.returncode)], source=name)
    reply = msgspec.msgpack.decode(done.stdout, type=_Reply)
    if reply.expression is not None:
        raise InvalidExpression(*reply.expression)
    if reply.definition is None:
        raise InvalidDefinition(_received(reply.errors), source=name)
    return load_object(reply.definition, source=name), reply.report


def _death(returncode: int) -> Problem:
    """Why the child ended without an answer, for the person who sent the workbook."""
    if returncode == 1:
        return problem(
            "",
            "import_crashed",
            "not a readable workbook: the import failed on it (the server's log says more)",
        )
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return problem(
            "",
            "import_too_slow",
            "reading the workbook took more than {seconds} seconds of processor time, "
            "the most an import may take",
            seconds=CPU_SECONDS,
        )
    return problem(
        "",
        "import_too_large",
        "reading the workbook needed more than {megabytes} MB of memory, the most an "
        "import may use (is a sheet much larger than a questionnaire needs?)",
        megabytes=MEMORY_LIMIT // 2**20,
    )


def _child() -> int:
    """The child's side: limits first, then the import, then the reply (always one, if alive)."""
    for limit, value in ((resource.RLIMIT_AS, MEMORY_LIMIT), (resource.RLIMIT_CPU, CPU_SECONDS)):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):  # not every system has both (macOS sets no address space)
            print(f"survey: cannot set resource limit {limit}", file=sys.stderr)
    request = msgspec.msgpack.decode(sys.stdin.buffer.read(), type=_Request)
    try:
        q, report = import_xlsform(request.data, source=request.source, language=request.language)
        reply = _Reply(definition=msgspec.to_builtins(q), report=report)
    except InvalidDefinition as exc:
        reply = _Reply(errors=_sent(exc.errors))
    except InvalidExpression as exc:
        reply = _Reply(expression=(exc.reason, exc.position, exc.source))
    except MemoryError:
        return 3  # the parent says it: more memory than allowed
    sys.stdout.buffer.write(msgspec.msgpack.encode(reply))
    return 0


if __name__ == "__main__":
    sys.exit(_child())
