-- One sale per transaction, on one of 10,000 outlet streams (the shape of
-- bench_ingest: individually submitted events).
\set outlet random(1, 10000)
INSERT INTO events (stream, event_id, body)
VALUES ('outlet:C-' || :outlet, gen_random_uuid(),
        jsonb_build_object('sale_id', gen_random_uuid()::text, 'product_id', 'P-' || :outlet,
                           'outlet_id', 'C-' || :outlet, 'quantity', 2,
                           'unit_price_fen', 3500, 'amount_fen', 7000,
                           'buyer_kind', 'individual', 'buyer_ref', 'B-' || :outlet));
