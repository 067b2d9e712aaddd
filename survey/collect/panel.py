"""Panel codes: a self-made code normalised, then kept only as an HMAC with the campaign's secret.

A panel design links a respondent's pre and post answers without knowing who she is: she builds the same
code both times from stable facts (the first letters of her mother's name, her day of birth, ...). People
type such codes differently from one time to the next: upper or lower case, with spaces or dashes, and on
a Mongolian phone keyboard letters such as ``А``, ``О`` or ``С`` are Cyrillic while the same shapes typed
on a Latin keyboard are ``A``, ``O``, ``C``. :func:`normalise` removes those differences;
:func:`panel_key` turns the result into HMAC-SHA256 with the campaign's secret, the only form that is
stored. Without the secret, which never leaves the database, the key cannot be reversed by trying all
short codes.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from typing import Final

__all__ = ["LOOKALIKES", "normalise", "panel_key"]

#: Cyrillic capitals (Russian and Mongolian alphabets, and Ukrainian І) that look like a Latin capital,
#: mapped to that Latin capital. Codes are upper-cased first, so lower-case pairs such as ``к``/``k``
#: meet here too. Only shapes that are the same letter to the eye are listed: ``Д`` or ``Ө`` stay as
#: they are, since a respondent never types them by mistake for a Latin letter.
LOOKALIKES: Final[dict[str, str]] = {
    "А": "A",
    "В": "B",
    "Е": "E",
    "І": "I",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "У": "Y",
    "Ү": "Y",
    "Х": "X",
}
_TABLE: Final = str.maketrans(LOOKALIKES)


def normalise(code: str) -> str:
    """The canonical form of a panel code.

    Compatibility forms are unified (NFKC: full-width ``Ａ`` is ``A``), letters upper-cased, Cyrillic
    letters that look like Latin ones replaced by the Latin letter (see :data:`LOOKALIKES`), and
    everything that is neither a letter nor a digit (spaces, dashes, dots, slashes) removed.

    Examples
    --------
    >>> normalise(" до-07 д ")
    'ДO07Д'
    >>> normalise("ДО07Д") == normalise("ДO 07 д")
    True
    """
    text = unicodedata.normalize("NFKC", code).upper().translate(_TABLE)
    # After NFKC, combining marks are already merged into their letters where a precomposed letter
    # exists (Й, Ё); any left over carry no meaning a respondent would reproduce, so they go too.
    return "".join(ch for ch in text if ch.isalnum())


def panel_key(code: str, secret: bytes) -> str:
    """HMAC-SHA256 (hex) of the normalised ``code`` with the campaign's ``secret``.

    Raises
    ------
    ValueError
        When nothing remains of the code after normalisation, or the secret is empty (an empty key would
        make the HMAC a plain, reversible-by-guessing hash).
    """
    if not secret:
        raise ValueError("a panel key needs the campaign's secret")
    canonical = normalise(code)
    if not canonical:
        raise ValueError("the panel code has no letter or digit")
    return hmac.new(secret, canonical.encode("utf-8"), hashlib.sha256).hexdigest()
