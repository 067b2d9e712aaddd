"""One error tree for the whole application.

Each class's docstring is its default message. The web layer maps them to HTTP statuses in one handler;
the command line prints them as one line and exits non-zero.
"""

from __future__ import annotations


class SurveyError(Exception):
    """Something went wrong."""

    status_code = 500

    def __init__(self, message: str | None = None) -> None:
        self.message = message or (self.__doc__ or "").strip()
        super().__init__(self.message)


class NotFound(SurveyError):
    """Not found."""

    status_code = 404


class Forbidden(SurveyError):
    """You are not allowed to do this."""

    status_code = 403


class Conflict(SurveyError):
    """This conflicts with what is already stored."""

    status_code = 409


class InvalidAnswer(SurveyError):
    """The answer is not valid."""

    status_code = 400


class InvalidDefinition(SurveyError):
    """The questionnaire definition is not valid.

    ``errors`` holds every problem found, each naming its exact place, e.g.
    ``sections[2].items[3].correct: "c" is not one of the choices a, b, d``.
    """

    status_code = 400

    def __init__(self, errors: list[str] | str, source: str | None = None) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(prefix + e for e in self.errors))


class InvalidExpression(SurveyError):
    """The expression is not valid."""

    status_code = 400

    def __init__(self, message: str, position: int, source: str = "") -> None:
        self.position = position
        self.source = source
        self.reason = message
        super().__init__(f"{message} at position {position}")


class InvalidStatistics(SurveyError, ValueError):
    """The data cannot support this statistic."""

    status_code = 422


class _Reasoned(SurveyError):
    """A refusal that names the rule it applied: ``reason``, with what broke it in ``params``.

    The message is the English sentence (for the command line and the logs); an interface says the same
    in its reader's language from its own catalogue, by ``reason``.
    """

    def __init__(self, message: str, *, reason: str, **params: object) -> None:
        self.reason = reason
        self.params = params
        super().__init__(message)


class RuleBroken(_Reasoned, InvalidAnswer):
    """A value breaks a rule of what may be stored."""


class AlreadyTaken(_Reasoned, Conflict):
    """A key (or another value that must be unique) is already taken."""
