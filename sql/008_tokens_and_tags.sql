-- Owner access (tokens) and store tags.
-- A store's tags (store_tags.csv): the valid rows of an input replace the
-- tags of each store they name.
CREATE TABLE store_tags (
  store INTEGER NOT NULL REFERENCES stores (id),
  tag   TEXT NOT NULL,
  PRIMARY KEY (store, tag)
) WITHOUT ROWID;
CREATE INDEX store_tags_by_tag ON store_tags (tag);

-- Access tokens: only the SHA-256 of the secret is kept (hex). An owner's
-- scope is a list of store ids (token_stores) or one tag.
CREATE TABLE tokens (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'ingest', 'reader', 'owner')),
  secret_sha256 TEXT NOT NULL UNIQUE,
  scope_tag     TEXT,
  created_us    INTEGER NOT NULL
);
CREATE TABLE token_stores (
  token    INTEGER NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
  store_id TEXT NOT NULL,   -- as written; the store need not exist yet
  PRIMARY KEY (token, store_id)
) WITHOUT ROWID;
