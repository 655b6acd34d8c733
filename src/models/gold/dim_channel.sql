/* ---
description: The sales channels of contracts.md, with a readable label and whether they are online.
materialized: table
tests:
  - unique: channel
--- */
SELECT channel, label, is_online
FROM (VALUES
  ('web', 'Web shop', TRUE),
  ('mobile', 'Mobile app', TRUE),
  ('store', 'Stores', FALSE),
  ('marketplace', 'Marketplaces', TRUE),
  ('partner', 'Partners', FALSE)
) AS c(channel, label, is_online)
