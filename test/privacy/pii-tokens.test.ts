// Tokenisation of personal data in gold, on every engine: the engine's HMAC is the standard one, gold holds
// tokens and never the clear values, and a run with another key is refused until a full refresh re-tokenises.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacPads, piiToken } from '../../src/privacy/pii-tokens.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { ENGINES } from '../helpers/engines.js';
import { openTestHome, type TestHome } from '../helpers/fixtures.js';
import { loadShop, post } from '../helpers/shop.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`personal data tokens on ${engine.name}`, () => {
    let home: TestHome;
    beforeAll(async () => {
      home = await openTestHome(engine);
      await loadShop(home.wh);
    });
    afterAll(async () => { await home?.cleanup(); });

    it('computes RFC 2104 HMAC-SHA256 in the engine, for short and long keys and any text', async () => {
      const d = home.wh.dialect;
      for (const key of ['k'.repeat(32), 'a much longer key than one SHA-256 block of sixty-four bytes, so it is hashed first']) {
        const { inner, outer } = hmacPads(key);
        for (const value of ['ada@example.com', 'Zoë Ångström-Łukasiewicz', '']) {
          const [row] = await home.wh.all<{ h: string }>(`SELECT ${d.hmacSha256Hex('$1', '$2', '$3')} AS h`, [value, inner, outer]);
          expect(row.h, `${key.length}-char key, "${value}"`).toBe(createHmac('sha256', key).update(value, 'utf8').digest('hex'));
        }
      }
    });

    it('keeps only tokens of emails and names in gold', async () => {
      const key = process.env.STOREPULSE_PII_SECRET!;
      const rows = await home.wh.read<Record<string, string | null>>(
        "SELECT customer_id, email_token, first_name_token, last_name_token FROM gold.dim_customer WHERE customer_id = 'C1'");
      expect(rows).toEqual([{ customer_id: 'C1', email_token: piiToken(key, 'ada@example.com'), first_name_token: piiToken(key, 'Ada'), last_name_token: piiToken(key, 'Lovelace') }]);
      const columns = await home.wh.read<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'gold' AND table_name = 'dim_customer'");
      expect(columns.map((c) => c.column_name)).not.toEqual(expect.arrayContaining(['email']));
      expect(columns.map((c) => c.column_name)).not.toContain('first_name');
    });

    it('refuses a run with a different key, and re-tokenises everything on a full refresh with it', async () => {
      const other = 'another privacy key of at least thirty-two chars';
      await post(home.wh, 'customers', [{ customer_id: 'C4', email: 'edsger@example.com', country: 'NL', signup_at: '2025-05-01T00:00:00Z' }]);
      await expect(runPipeline(home.wh, { baseCurrency: 'EUR', piiKey: other })).rejects.toMatchObject({ code: 'SP_ERR_PII_KEY_CHANGED' });
      await runPipeline(home.wh, { baseCurrency: 'EUR', piiKey: other, fullRefresh: true });
      const [c1] = await home.wh.read<{ email_token: string }>("SELECT email_token FROM gold.dim_customer WHERE customer_id = 'C1' AND is_current");
      expect(c1.email_token).toBe(piiToken(other, 'ada@example.com'));
      const [c4] = await home.wh.read<{ email_token: string }>("SELECT email_token FROM gold.dim_customer WHERE customer_id = 'C4'");
      expect(c4.email_token).toBe(piiToken(other, 'edsger@example.com'));
      // And the original key is now the stranger (checked when a run has work: a run with none touches no token).
      await post(home.wh, 'customers', [{ customer_id: 'C5', country: 'NL', signup_at: '2025-05-01T00:00:00Z' }]);
      await expect(runPipeline(home.wh, { baseCurrency: 'EUR' })).rejects.toMatchObject({ code: 'SP_ERR_PII_KEY_CHANGED' });
    });
  });
}
