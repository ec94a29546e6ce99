-- 500 sales per transaction (the shape of `submit`'s batches).
\set outlet random(1, 10000)
INSERT INTO events (stream, event_id, body)
SELECT 'outlet:C-' || ((:outlet + i) % 10000 + 1), gen_random_uuid(),
       jsonb_build_object('sale_id', gen_random_uuid()::text, 'product_id', 'P-' || i,
                          'outlet_id', 'C-' || ((:outlet + i) % 10000 + 1), 'quantity', 2,
                          'unit_price_fen', 3500, 'amount_fen', 7000,
                          'buyer_kind', 'individual', 'buyer_ref', 'B-' || i)
FROM generate_series(1, 500) AS i;
