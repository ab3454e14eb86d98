-- Several teams (admin.teams.create). Same rule as V1: only types and syntax H2 and PostgreSQL share.

-- A team's owner is the first user who joined it; the owner of the default (oldest) team owns the installation and
-- is the one who may create teams. owner_id is set once, by the first registration (NULL until then); users.is_owner
-- copies it onto the user row so that every read of a user knows it without a join.
ALTER TABLE teams ADD COLUMN owner_id VARCHAR(32);
ALTER TABLE users ADD COLUMN is_owner BOOLEAN NOT NULL DEFAULT FALSE;

-- Existing installations: the earliest user of each team becomes its owner.
UPDATE teams SET owner_id = (
  SELECT u.id FROM users u WHERE u.team_id = teams.id ORDER BY u.created, u.id LIMIT 1);
UPDATE users SET is_owner = TRUE WHERE id IN (SELECT owner_id FROM teams WHERE owner_id IS NOT NULL);

-- Slack answers name_taken_in_org for a second team of the same name; domains were unique already (V1).
CREATE UNIQUE INDEX teams_name_unique ON teams (name);
