-- Access tokens and owners' scopes.

-- name: insert_token
INSERT INTO tokens (name, role, secret_sha256, scope_tag, created_us) VALUES (?1, ?2, ?3, ?4, ?5);

-- name: insert_token_store
INSERT OR IGNORE INTO token_stores (token, store_id) VALUES (?1, ?2);

-- name: list_tokens
SELECT id, name, role, scope_tag, created_us FROM tokens ORDER BY name;

-- name: token_by_secret
SELECT id, name, role, scope_tag, created_us FROM tokens WHERE secret_sha256 = ?1;

-- name: token_store_ids
SELECT store_id FROM token_stores WHERE token = ?1 ORDER BY store_id;

-- name: delete_token_stores
DELETE FROM token_stores WHERE token = (SELECT id FROM tokens WHERE name = ?1);

-- name: delete_token
DELETE FROM tokens WHERE name = ?1;

-- name: token_roles
SELECT count(*), count(*) FILTER (WHERE role IN ('reader', 'owner')) FROM tokens;

-- name: tag_store_ids
SELECT s.store_id FROM store_tags t JOIN stores s ON s.id = t.store WHERE t.tag = ?1;
