// The quality scorecard on both engines: each dimension counts what it should per ingestion day, a duplicate is a
// repeat of key and version (not a new version), a waiting record fails referential integrity until its parent comes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/ingest/discover.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { qualityScorecard, type Scorecard } from '../../src/quality/scorecard.js';
import { ENGINES } from '../helpers/engines.js';
import { HEADERS, item, openTestHome, order, writeCsv, type Rows, type TestHome } from '../helpers/fixtures.js';

const pick = (card: Scorecard, day: string, entity: string) =>
  Object.fromEntries(card.days.filter((d) => d.day === day && d.entity === entity).map((d) => [d.dimension, [d.checked, d.failed, d.pass_rate]]));

describe.each(ENGINES)('the quality scorecard on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  let n = 0;
  let afterDay1: Scorecard;

  /** Lands rows as a new file, dated as if ingested on `day`. */
  async function land(entity: keyof typeof HEADERS, rows: Rows, day: string) {
    const path = writeCsv(join(home.dir, 'in', `${entity}-${++n}.csv`), HEADERS[entity], rows);
    const outcome = await ingestFile(home.wh, discoverFiles([path])[0]);
    expect(outcome.status).toBe('loaded');
    const at = `CAST('${day} 12:00:00+00' AS TIMESTAMPTZ)`;
    await home.wh.run(`UPDATE meta.batches SET ingested_at = ${at} WHERE batch_id = ${(outcome as { batchId: number }).batchId}`);
    await home.wh.run(`UPDATE bronze.${entity} SET _ingested_at = ${at} WHERE _batch_id = ${(outcome as { batchId: number }).batchId}`);
  }

  beforeAll(async () => {
    home = await openTestHome(engine);
    await land('orders', [order('O1'), order('O2'), order('O2'), order('O3', { customer_id: '' }), order('O4', { channel: 'fax' })], '2026-01-05');
    // Line "01" is line 1 typed: an exact repeat. O9 has not arrived: its line waits.
    await land('order_items', [item('O1', 1), item('O1', '01' as unknown as number), item('O9', 1)], '2026-01-05');
    await runPipeline(home.wh, { baseCurrency: 'EUR' });
    afterDay1 = await qualityScorecard(home.wh);
    // Day 2: O1 re-delivered unchanged (a duplicate across days), a new version of O2 (no duplicate), O9 arrives.
    await land('orders', [order('O1'), order('O2', { status: 'shipped', updated_at: '2026-01-02T10:00:00Z' }), order('O9')], '2026-01-06');
    await runPipeline(home.wh, { baseCurrency: 'EUR' });
  });
  afterAll(async () => { await home?.cleanup(); });

  it('scores completeness, validity, uniqueness and referential integrity per entity and ingestion day', async () => {
    expect(afterDay1).toMatchObject({ from: '2026-01-05', to: '2026-01-06', entity: null });
    expect(pick(afterDay1, '2026-01-05', 'order_items').referential_integrity).toEqual([3, 1, 2 / 3]);

    const card = await qualityScorecard(home.wh);
    expect(card).toMatchObject({ from: '2026-01-05', to: '2026-01-07' });
    expect(pick(card, '2026-01-05', 'orders')).toEqual({
      completeness: [5, 1, 0.8], validity: [5, 1, 0.8], uniqueness: [3, 1, 2 / 3], referential_integrity: [3, 0, 1],
    });
    // The waiting line's order came on day 2: day 1's referential integrity is now met.
    expect(pick(card, '2026-01-05', 'order_items')).toEqual({
      completeness: [3, 0, 1], validity: [3, 0, 1], uniqueness: [3, 1, 2 / 3], referential_integrity: [3, 0, 1],
    });
    expect(pick(card, '2026-01-06', 'orders')).toEqual({
      completeness: [3, 0, 1], validity: [3, 0, 1], uniqueness: [3, 1, 2 / 3], referential_integrity: [3, 0, 1],
    });
    // Entities with nothing ingested are not scored; customers wait for nothing, so no referential integrity row.
    expect(card.days.some((d) => d.entity === 'customers')).toBe(false);

    expect(card.entities.filter((e) => e.entity === 'orders')).toEqual([
      { entity: 'orders', dimension: 'completeness', checked: 8, passed: 7, failed: 1, pass_rate: 7 / 8 },
      { entity: 'orders', dimension: 'validity', checked: 8, passed: 7, failed: 1, pass_rate: 7 / 8 },
      { entity: 'orders', dimension: 'uniqueness', checked: 6, passed: 4, failed: 2, pass_rate: 4 / 6 },
      { entity: 'orders', dimension: 'referential_integrity', checked: 6, passed: 6, failed: 0, pass_rate: 1 },
    ]);
    expect(card.dimensions.map((d) => [d.dimension, d.checked, d.failed])).toEqual([
      ['completeness', 11, 1], ['validity', 11, 1], ['uniqueness', 9, 3], ['referential_integrity', 9, 0],
    ]);
    expect(card.daily.filter((d) => d.day === '2026-01-06').map((d) => [d.dimension, d.checked, d.failed])).toEqual([
      ['completeness', 3, 0], ['validity', 3, 0], ['uniqueness', 3, 1], ['referential_integrity', 3, 0],
    ]);
    expect(card.rules).toEqual([
      { entity: 'orders', dimension: 'completeness', rule: 'required:customer_id', failed: 1 },
      { entity: 'orders', dimension: 'validity', rule: 'enum:channel', failed: 1 },
      { entity: 'orders', dimension: 'uniqueness', rule: 'unique:order_id', failed: 2 },
      { entity: 'order_items', dimension: 'uniqueness', rule: 'unique:order_id+line_number', failed: 1 },
    ]);
    expect(afterDay1.rules).toContainEqual({ entity: 'order_items', dimension: 'referential_integrity', rule: 'pending:awaiting_order', failed: 1 });
  });

  it('narrows to a period and an entity; a duplicate of an earlier day still counts', async () => {
    const day2 = await qualityScorecard(home.wh, { from: '2026-01-06', to: '2026-01-07', entity: 'orders' });
    expect(day2).toMatchObject({ from: '2026-01-06', to: '2026-01-07', entity: 'orders' });
    expect(new Set(day2.days.map((d) => `${d.day} ${d.entity}`))).toEqual(new Set(['2026-01-06 orders']));
    expect(day2.rules).toEqual([{ entity: 'orders', dimension: 'uniqueness', rule: 'unique:order_id', failed: 1 }]);
    const none = await qualityScorecard(home.wh, { from: '2027-01-01', to: '2027-02-01' });
    expect(none).toMatchObject({ days: [], daily: [], entities: [], dimensions: [], rules: [] });
    await expect(qualityScorecard(home.wh, { entity: 'widgets' })).rejects.toMatchObject({ code: 'SP_ERR_BAD_OPTION' });
    await expect(qualityScorecard(home.wh, { from: '2026-02-30' })).rejects.toMatchObject({ code: 'SP_ERR_BAD_OPTION' });
    await expect(qualityScorecard(home.wh, { from: '2026-01-06', to: '2026-01-06' })).rejects.toThrow(/a day after --from 2026-01-06/);
  });
});
