"""How many new responses a wave accepts per minute.

The limit is kept **per wave, in PostgreSQL**: a new response is refused (429) when the wave already
started :data:`NEW_RESPONSES_PER_MINUTE` responses in the last :data:`WINDOW_SECONDS`, counted from the
``response`` table itself (an index on ``(wave_id, started_at)`` makes that a read of at most that many
index entries).

Why so:

- *Per wave, not per address.* No IP address is stored or used, and many real respondents share one
  address: a mobile carrier puts thousands of phones behind a few public addresses (carrier-grade NAT),
  and a school or ministry behind one. A limit per address would turn them away; a limit per wave
  stops a script that floods one link with fake responses, whatever its addresses.
- *In PostgreSQL, not in each process.* The application is stateless and may run as several processes
  behind a load balancer; counts kept in memory would multiply the limit by the number of processes and
  reset at every restart. The responses themselves are the count, so there is nothing extra to store.
- *600 per minute* is ten new respondents every second, sustained, on one link: more than a poster or
  a text-message campaign brings even at its peak, and low enough that a flooding script needs hours
  to add as many fake responses as a wave has real ones, instead of seconds.

Only *starting* a response is limited. Saving pages is not: it only changes the caller's own response.
Once a wave is over its limit, the process remembers it for :data:`COOL_DOWN_SECONDS`, so that a flood
of refused requests costs no database work at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

import asyncpg

from survey.db import responses as responses_db

__all__ = ["COOL_DOWN_SECONDS", "NEW_RESPONSES_PER_MINUTE", "WINDOW_SECONDS", "StartLimiter"]

NEW_RESPONSES_PER_MINUTE: Final = 600
WINDOW_SECONDS: Final = 60
COOL_DOWN_SECONDS: Final = 5.0


class StartLimiter:
    """Decides whether a wave may start one more response now.

    ``limit`` and ``window`` default to the module's numbers, read at every call so that a test (or an
    operator's patch) can change them.
    """

    def __init__(
        self,
        *,
        limit: int | None = None,
        window: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._blocked_until: dict[int, float] = {}

    @property
    def limit(self) -> int:
        return self._limit if self._limit is not None else NEW_RESPONSES_PER_MINUTE

    @property
    def window(self) -> float:
        return self._window if self._window is not None else WINDOW_SECONDS

    async def allow(self, conn: asyncpg.Connection, wave_id: int) -> bool:
        """True when the wave may start a response now."""
        now = self._clock()
        until = self._blocked_until.get(wave_id)
        if until is not None:
            if now < until:
                return False
            del self._blocked_until[wave_id]
        started = await responses_db.recent_starts(conn, wave_id, self.window, self.limit)
        if started >= self.limit:
            self._blocked_until[wave_id] = now + COOL_DOWN_SECONDS
            return False
        return True
