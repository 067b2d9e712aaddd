"""Who may do what: the sets of roles that routes declare and that the service checks in a team.

A role is held in a team (``admin``, ``researcher``, ``analyst``, ``viewer``); what an account may do to a
campaign, a wave, a questionnaire kept to one team, or a team itself is decided by its role in *that*
team. A route declares, in ``opt={"roles": ...}``, one of:

* ``"public"``: anyone, signed in or not;
* :data:`SIGNED_IN`: any signed-in account, whatever its teams (its own password and tokens, the lists
  that show only what it may read);
* a set drawn from :data:`survey.db.accounts.ROLES` and :data:`INSTALLATION_ADMIN`: the guard lets through
  an account that holds one of them in *some* team (or administers the installation, when the set names
  it); the route then checks the role in the team of what it names, through the service's lookups.

The installation administrator (accounts, teams) is not a team role: it reads no team's campaigns unless
it is a member of that team. docs/roles.md says why, and lists every route.

No litestar here: the service (:mod:`survey.console.service`) uses these sets too.
"""

from __future__ import annotations

from typing import Final

from survey.db.accounts import INSTALLATION_ADMIN, ROLES

__all__ = [
    "ALL_ROLES",
    "CAMPAIGN_READERS",
    "DESIGNERS",
    "INSTALLATION_ADMIN",
    "INSTALLATION_ADMINS",
    "SIGNED_IN",
    "TEAM_ADMINS",
    "TEAM_MANAGERS",
    "TEAM_READERS",
]

SIGNED_IN: Final = "signed_in"
"""Any signed-in account, in any team or none."""
ALL_ROLES: frozenset[str] = frozenset(ROLES)
"""Every role of a team: reports, and the campaign list (which shows each campaign as its team allows)."""
CAMPAIGN_READERS: frozenset[str] = frozenset({"admin", "researcher", "analyst"})
"""Questionnaires, campaign details, monitoring, exports and the API's data: everyone but viewers."""
DESIGNERS: frozenset[str] = frozenset({"admin", "researcher"})
"""Creating campaigns and waves, opening and closing them, handing out links, publishing questionnaires."""
TEAM_ADMINS: frozenset[str] = frozenset({"admin"})
"""A team's administrators."""
INSTALLATION_ADMINS: frozenset[str] = frozenset({INSTALLATION_ADMIN})
"""Accounts (creating, disabling, password reset links) and the audit log: the installation's
administrators only."""
TEAM_READERS: frozenset[str] = ALL_ROLES | INSTALLATION_ADMINS
"""A team's page and its members: every member of the team, and the installation's administrators."""
TEAM_MANAGERS: frozenset[str] = TEAM_ADMINS | INSTALLATION_ADMINS
"""Adding, changing and removing a team's members, renaming it: its administrators and the
installation's."""
