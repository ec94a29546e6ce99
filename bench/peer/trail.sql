-- The 20 newest records of a random outlet stream, with their chain hashes.
\set outlet random(1, 10000)
SELECT seq, event_id, body, recorded_at, prev_hash, hash
FROM events WHERE stream = 'outlet:C-' || :outlet ORDER BY seq DESC LIMIT 20;
