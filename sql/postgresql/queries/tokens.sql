-- Access tokens and owners' scopes (storage/postgresql/pg_tokens.cpp), as
-- SQLite's (sql/queries/tokens.sql). Text sorts byte-wise (COLLATE "C"), as
-- in SQLite.

-- name: insert_token
-- No row back: the name is taken.
INSERT INTO tokens (name, role, secret_sha256, scope_tag, created_us)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (name) DO NOTHING
RETURNING id;

-- name: insert_token_stores
-- $2: the store ids, a text[].
INSERT INTO token_stores (token, store_id)
SELECT $1, store_id FROM unnest($2::text[]) AS store_id
ON CONFLICT DO NOTHING;

-- name: list_tokens
SELECT id, name, role, scope_tag, created_us FROM tokens ORDER BY name COLLATE "C";

-- name: token_by_secret
SELECT id, name, role, scope_tag, created_us FROM tokens WHERE secret_sha256 = $1;

-- name: token_store_ids
SELECT store_id FROM token_stores WHERE token = $1 ORDER BY store_id COLLATE "C";

-- name: delete_token
-- Its stores go with it (ON DELETE CASCADE).
DELETE FROM tokens WHERE name = $1;

-- name: token_roles
SELECT count(*), count(*) FILTER (WHERE role IN ('reader', 'owner')) FROM tokens;

-- name: tag_store_ids
SELECT s.store_id FROM store_tags t JOIN stores s ON s.id = t.store WHERE t.tag = $1;
