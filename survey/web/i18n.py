"""Interface languages: one kind of message catalogue for every area, and how a page picks its language.

Each area keeps its own catalogue of whole sentences (``survey/collect/messages.py`` for respondents; the
console and the report have theirs), all built as a :class:`Catalogue`, so that every interface string in
the application is looked up, checked and tested the same way. Questionnaire texts are not here: they come
from the questionnaire, in the language the page shows.

Mongolian is the default: the people who use survey are Mongolian teams and their audiences. English is
one tap away on every page (``?lang=en``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from litestar.connection import ASGIConnection

__all__ = [
    "DEFAULT_LANGUAGE",
    "FALLBACK",
    "LANGUAGES",
    "Catalogue",
    "language_name",
    "request_language",
]

#: The languages of every catalogue; every message has each of them.
LANGUAGES: Final = ("mn", "en")
#: The language of a page when nothing asks for another.
DEFAULT_LANGUAGE: Final = "mn"
#: The language used for an interface string when the page's language is not in the catalogue (a
#: questionnaire may declare a language the catalogue does not have): English, the lingua franca of the
#: teams that would add such a language.
FALLBACK: Final = "en"
#: Each language's name in that language, as a language switch shows it (a reader looks for her own).
LANGUAGE_NAMES: Final = {"mn": "Монгол", "en": "English"}


class Catalogue:
    """The interface strings of one area, each a whole sentence in every language of :data:`LANGUAGES`.

    Placeholders are filled with :meth:`str.format`. Mongolian case endings depend on the vowels of the
    word they follow, so no ending is ever glued to a placeholder.

    Raises
    ------
    ValueError
        At import time, for an entry that lacks one of the languages: a missing translation fails the
        first test that imports the area, not a reader's page.
    """

    def __init__(self, messages: Mapping[str, Mapping[str, str]]) -> None:
        for key, texts in messages.items():
            missing = [language for language in LANGUAGES if not texts.get(language, "").strip()]
            if missing:
                raise ValueError(f"message {key!r} has no text in {', '.join(missing)}")
        self.messages: Mapping[str, Mapping[str, str]] = messages

    def translate(self, key: str, language: str, /, **params: object) -> str:
        """The message ``key`` in ``language`` (English when the catalogue lacks it), formatted.

        Raises
        ------
        KeyError
            For a key that is not in the catalogue: a typo in a template must fail its test, not show a
            blank.
        """
        texts = self.messages[key]
        text = texts.get(language) or texts[FALLBACK]
        return text.format(**params) if params else text

    def __contains__(self, key: object) -> bool:
        return key in self.messages

    def bound(self, language: str):
        """``t(key, **params)`` for one page's language, the name templates use."""

        def t(key: str, /, **params: object) -> str:
            return self.translate(key, language, **params)

        return t


def request_language(connection: ASGIConnection, default: str = DEFAULT_LANGUAGE) -> str:
    """The interface language a request asks for.

    ``?lang=`` when it names a catalogue language; else the signed-in account's own choice (an account
    carries a ``language`` once it has one); else ``default``, Mongolian unless the caller knows better.
    """
    asked = connection.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    user = connection.scope.get("user")
    chosen = getattr(user, "language", None)
    if chosen in LANGUAGES:
        return chosen
    return default


def language_name(code: str) -> str:
    """The name of a language in that language (``Монгол``, ``English``), or its code if unknown."""
    return LANGUAGE_NAMES.get(code, code)
