-- name: insert_team
-- A new team; nothing is returned when its key is taken, and the caller says so.
INSERT INTO team (key, name) VALUES ($1, $2)
ON CONFLICT (key) DO NOTHING
RETURNING id;

-- name: team_by_key
-- A team with how many members and campaigns it has, as the console and `survey teams list` show it.
SELECT t.id, t.key, t.name, t.created_at,
       (SELECT count(*) FROM team_member m WHERE m.team_id = t.id) AS members,
       (SELECT count(*) FROM campaign c WHERE c.team_id = t.id) AS campaigns
FROM team t WHERE t.key = $1;

-- name: list_teams
-- Every team, by key (the installation administrator's list and `survey teams list`).
SELECT t.id, t.key, t.name, t.created_at,
       (SELECT count(*) FROM team_member m WHERE m.team_id = t.id) AS members,
       (SELECT count(*) FROM campaign c WHERE c.team_id = t.id) AS campaigns
FROM team t ORDER BY t.key;

-- name: rename_team
-- Rename a team (what people call it; its key never changes); no row for an unknown key.
UPDATE team SET name = $2 WHERE key = $1 RETURNING id;

-- name: team_members
-- The members of a team with their role, by address.
SELECT a.id AS account_id, a.email, m.role, m.added_at, a.disabled_at
FROM team_member m JOIN account a ON a.id = m.account_id
WHERE m.team_id = $1
ORDER BY a.email;

-- name: memberships_of
-- The teams of one account with its role in each, by team key.
SELECT t.id AS team_id, t.key AS team, t.name, m.role
FROM team_member m JOIN team t ON t.id = m.team_id
WHERE m.account_id = $1
ORDER BY t.key;

-- name: all_memberships
-- Every account's teams and roles, for the list of accounts (one query however many accounts there are).
SELECT m.account_id, t.id AS team_id, t.key AS team, t.name, m.role
FROM team_member m JOIN team t ON t.id = m.team_id
ORDER BY t.key;

-- name: put_team_member
-- Add an account to a team with a role, or change its role there; returns whether it was new.
INSERT INTO team_member (team_id, account_id, role) VALUES ($1, $2, $3)
ON CONFLICT (team_id, account_id) DO UPDATE SET role = excluded.role
RETURNING (xmax = 0) AS added;

-- name: set_team_member_role
-- Change a member's role in a team; no row when the account is not a member.
UPDATE team_member SET role = $3 WHERE team_id = $1 AND account_id = $2 RETURNING role;

-- name: delete_team_member
-- Take an account out of a team; no row when it is not a member (remove_member first checks, under
-- lock, that the team keeps an administrator).
DELETE FROM team_member WHERE team_id = $1 AND account_id = $2 RETURNING role;

-- name: team_admins
-- The administrators of a team; locks their rows, so that two requests cannot each remove one of
-- the last two.
SELECT account_id FROM team_member WHERE team_id = $1 AND role = 'admin' FOR UPDATE;
