-- The peer a 扶贫办's IT department would build for "an append-only
-- ledger": one PostgreSQL table, a per-stream SHA-256 hash chain kept by a
-- trigger, UPDATE, DELETE and TRUNCATE refused. No signatures, no Merkle
-- tree, no proofs. Durable: the cluster runs with fsync and
-- synchronous_commit on (peer.sh), one row per transaction unless batched.
CREATE TABLE events (
  seq         bigserial PRIMARY KEY,
  stream      text        NOT NULL,
  event_id    uuid        NOT NULL UNIQUE,
  body        jsonb       NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  prev_hash   bytea,
  hash        bytea       NOT NULL
);
-- "The 20 newest records of a stream".
CREATE INDEX events_stream_seq ON events (stream, seq DESC);

CREATE TABLE stream_heads (
  stream text   PRIMARY KEY,
  head   bytea  NOT NULL,
  seq    bigint NOT NULL
);

-- hash = SHA-256(previous hash of the stream || the body's text). The
-- stream's head row is locked for the transaction, so appends to one
-- stream are serialized and the chain has no forks.
CREATE FUNCTION chain_event() RETURNS trigger AS $$
DECLARE
  previous bytea;
BEGIN
  INSERT INTO stream_heads (stream, head, seq) VALUES (NEW.stream, '\x', 0)
    ON CONFLICT (stream) DO NOTHING;
  SELECT head INTO previous FROM stream_heads WHERE stream = NEW.stream FOR UPDATE;
  NEW.prev_hash := NULLIF(previous, '\x');
  NEW.hash := sha256(previous || convert_to(NEW.body::text, 'UTF8'));
  UPDATE stream_heads SET head = NEW.hash, seq = NEW.seq WHERE stream = NEW.stream;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_chain BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION chain_event();

CREATE FUNCTION refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'events is append-only: % refused', TG_OP;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
