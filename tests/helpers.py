"""Helpers shared by test modules (a test module never imports another test module)."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from html import unescape
from html.parser import HTMLParser

from survey.web.i18n import Catalogue


class _VisibleText(HTMLParser):
    """The text a reader sees, and the attribute texts read aloud or shown (alt, title, aria-label...)."""

    SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "value")
    HIDDEN = ("script", "style")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        hidden_input = tag == "input" and ("type", "hidden") in attrs
        for name, value in attrs:
            if value and name in self.SHOWN_ATTRIBUTES and not hidden_input:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The words of a page as a reader meets them, whitespace collapsed."""
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", unescape(" ".join(parser.parts)))


def english_left(html: str, catalogue: Catalogue, *, min_length: int = 4) -> list[str]:
    """The English catalogue texts (or their fixed parts around placeholders) found on a page.

    Entries whose Mongolian and English texts are the same (language names, symbols) are skipped, as are
    fixed parts shorter than ``min_length`` characters, which would match inside other words.
    """
    text = visible_text(html)
    found = []
    for key, texts in catalogue.messages.items():
        english, mongolian = texts["en"], texts["mn"]
        if english == mongolian:
            continue
        for literal, *_ in string.Formatter().parse(english):
            piece = literal.strip(" .,:;–-()")
            if len(piece) >= min_length and re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text):
                found.append(f"{key}: {piece}")
    return found


def holm(p: Sequence[float]) -> list[float]:
    """Holm (1979) written out: the i-th smallest times (m - i), running maximum, capped at 1."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out
