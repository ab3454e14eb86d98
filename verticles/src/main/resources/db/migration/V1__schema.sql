-- One schema for both the embedded database (H2) and PostgreSQL: only types and syntax they share.
-- Times are microseconds since the epoch (BIGINT); a message's ts is its time in microseconds.

CREATE TABLE teams (
  id       VARCHAR(32) PRIMARY KEY,
  name     VARCHAR(255) NOT NULL,
  domain   VARCHAR(255) NOT NULL UNIQUE,
  created  BIGINT NOT NULL
);

CREATE TABLE users (
  id         VARCHAR(32) PRIMARY KEY,
  team_id    VARCHAR(32) NOT NULL REFERENCES teams(id),
  name       VARCHAR(80) NOT NULL,
  real_name  VARCHAR(255) NOT NULL,
  is_bot     BOOLEAN NOT NULL,
  created    BIGINT NOT NULL,
  CONSTRAINT users_name_unique UNIQUE (team_id, name)
);

-- Only a SHA-256 of each token is kept: a leaked database leaks no credentials.
CREATE TABLE tokens (
  token_hash VARCHAR(64) PRIMARY KEY,
  user_id    VARCHAR(32) NOT NULL REFERENCES users(id),
  created    BIGINT NOT NULL
);

-- Every channel in the abstract sense (conversation, user, team) has a stream: the counters that give its events
-- their per-channel sequence numbers and its messages their unique, increasing ts. Updating the row locks it, so
-- several Webapps posting to one channel are serialised here.
CREATE TABLE streams (
  id        VARCHAR(32) PRIMARY KEY,
  last_seq  BIGINT NOT NULL,
  last_ts   BIGINT NOT NULL
);

CREATE TABLE conversations (
  id             VARCHAR(32) PRIMARY KEY,
  team_id        VARCHAR(32) NOT NULL REFERENCES teams(id),
  name           VARCHAR(80) NOT NULL,
  is_private     BOOLEAN NOT NULL,
  creator        VARCHAR(32) NOT NULL,
  created        BIGINT NOT NULL,
  is_archived    BOOLEAN NOT NULL DEFAULT FALSE,
  topic          VARCHAR(1000) NOT NULL DEFAULT '',
  topic_creator  VARCHAR(32) NOT NULL DEFAULT '',
  topic_set      BIGINT NOT NULL DEFAULT 0,
  purpose        VARCHAR(1000) NOT NULL DEFAULT '',
  purpose_creator VARCHAR(32) NOT NULL DEFAULT '',
  purpose_set    BIGINT NOT NULL DEFAULT 0,
  CONSTRAINT conversations_name_unique UNIQUE (team_id, name)
);

CREATE TABLE members (
  conversation_id VARCHAR(32) NOT NULL REFERENCES conversations(id),
  user_id         VARCHAR(32) NOT NULL REFERENCES users(id),
  joined          BIGINT NOT NULL,
  PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX members_by_user ON members (user_id, conversation_id);

CREATE TABLE messages (
  channel_id  VARCHAR(32) NOT NULL,
  ts          BIGINT NOT NULL,
  seq         BIGINT NOT NULL,
  user_id     VARCHAR(32) NOT NULL,
  subtype     VARCHAR(64),
  text        VARCHAR NOT NULL,
  thread_ts   BIGINT,
  extra       VARCHAR,
  edited_ts   BIGINT,
  edited_by   VARCHAR(32),
  PRIMARY KEY (channel_id, ts)
);
