-- What the full Web API needs beyond the message journey: DMs, threads, reactions, pins, bookmarks, profiles
-- and read markers. Same rule as V1: only types and syntax H2 and PostgreSQL share.

-- channel (public), group (private channel), im (direct message), mpim (group DM). DMs are found again by dm_key,
-- their sorted member ids, so opening the same DM twice gives the same conversation; channels leave it NULL.
ALTER TABLE conversations ADD COLUMN kind VARCHAR NOT NULL DEFAULT 'channel';
ALTER TABLE conversations ADD COLUMN dm_key VARCHAR;
CREATE UNIQUE INDEX conversations_dm_key ON conversations (team_id, dm_key);
UPDATE conversations SET kind = 'group' WHERE is_private = TRUE;

-- conversations.mark: the newest ts the member has read.
ALTER TABLE members ADD COLUMN last_read BIGINT NOT NULL DEFAULT 0;

-- Threads: a parent keeps its reply count and newest reply, updated in the reply's transaction.
ALTER TABLE messages ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN latest_reply BIGINT;
CREATE INDEX messages_by_thread ON messages (channel_id, thread_ts, ts);

-- users.profile.*: the editable profile fields.
ALTER TABLE users ADD COLUMN display_name VARCHAR NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN first_name VARCHAR NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_name VARCHAR NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN title VARCHAR NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone VARCHAR NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN email VARCHAR NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN status_text VARCHAR NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN status_emoji VARCHAR NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN status_expiration BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN profile_updated BIGINT NOT NULL DEFAULT 0;

CREATE TABLE reactions (
  channel_id  VARCHAR NOT NULL,
  ts          BIGINT NOT NULL,
  name        VARCHAR NOT NULL,
  user_id     VARCHAR NOT NULL,
  created     BIGINT NOT NULL,
  PRIMARY KEY (channel_id, ts, name, user_id)
);
CREATE INDEX reactions_by_user ON reactions (user_id, created);

CREATE TABLE pins (
  channel_id  VARCHAR NOT NULL,
  ts          BIGINT NOT NULL,
  pinned_by   VARCHAR NOT NULL,
  created     BIGINT NOT NULL,
  PRIMARY KEY (channel_id, ts)
);

CREATE TABLE bookmarks (
  id          VARCHAR PRIMARY KEY,
  channel_id  VARCHAR NOT NULL,
  title       VARCHAR NOT NULL,
  link        VARCHAR NOT NULL,
  emoji       VARCHAR NOT NULL,
  type        VARCHAR NOT NULL,
  created     BIGINT NOT NULL,
  updated     BIGINT NOT NULL,
  updated_by  VARCHAR NOT NULL
);
CREATE INDEX bookmarks_by_channel ON bookmarks (channel_id, created);
