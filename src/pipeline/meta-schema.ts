// Bookkeeping tables: which files and batches landed, which runs happened, which model versions built gold.
export const META_DDL: readonly string[] = [
  'CREATE SCHEMA IF NOT EXISTS bronze',
  'CREATE SCHEMA IF NOT EXISTS silver',
  'CREATE SCHEMA IF NOT EXISTS gold',
  'CREATE SCHEMA IF NOT EXISTS meta',
  'CREATE SEQUENCE IF NOT EXISTS meta.batch_seq START 1',
  'CREATE SEQUENCE IF NOT EXISTS meta.run_seq START 1',
  `CREATE TABLE IF NOT EXISTS meta.settings (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS meta.batches (
    batch_id BIGINT PRIMARY KEY,
    entity VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    records BIGINT NOT NULL,
    ingested_at TIMESTAMPTZ NOT NULL,
    processed_run_id BIGINT
  )`,
  `CREATE TABLE IF NOT EXISTS meta.runs (
    run_id BIGINT PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,
    summary VARCHAR,
    error VARCHAR
  )`,
  `CREATE TABLE IF NOT EXISTS meta.entity_stats (
    run_id BIGINT NOT NULL,
    entity VARCHAR NOT NULL,
    read BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    accepted BIGINT NOT NULL,
    promoted BIGINT NOT NULL,
    pending BIGINT NOT NULL,
    changed BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS meta.test_results (
    run_id BIGINT NOT NULL,
    model VARCHAR NOT NULL,
    test VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    failures DOUBLE PRECISION NOT NULL,
    rows_tested BIGINT NOT NULL,
    sample VARCHAR,
    message VARCHAR
  )`,
  `CREATE TABLE IF NOT EXISTS meta.models (
    name VARCHAR PRIMARY KEY,
    sql_hash VARCHAR NOT NULL,
    built_run_id BIGINT NOT NULL
  )`,
  // Positions of stream messages already in bronze, as ranges per batch: a redelivered message is recognised and
  // not landed twice (a stream's exactly-once into bronze; see src/ingest/stream).
  `CREATE TABLE IF NOT EXISTS meta.stream_positions (
    source VARCHAR NOT NULL,
    stream_partition VARCHAR NOT NULL,
    first_offset BIGINT NOT NULL,
    last_offset BIGINT NOT NULL,
    batch_id BIGINT NOT NULL
  )`,
];
