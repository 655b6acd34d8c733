// A right-to-be-forgotten request: the customer's personal data (identifiers and location, see
// Column.personal) is cleared in every layer — the bronze records as they arrived (and their content hash),
// silver's current and historical versions, the rejected records' raw copies, gold's tokens — and their reminder
// preferences are deleted. The customer's orders stay, under the customer_id alone (a key that names nobody once
// the customer record is empty), so every KPI is what it was. One transaction under the writer lock: all of it or
// nothing, never beside a run. An audit record says who asked, when, and what was cleared where.
import { existsSync } from 'node:fs';
import { getEntity, personalColumns } from '../contracts/index.js';
import type { Warehouse } from '../warehouse/engine.js';

export const ERASURES_DDL = `CREATE TABLE IF NOT EXISTS meta.erasures (
  erasure_id BIGINT PRIMARY KEY,
  customer_id VARCHAR NOT NULL,
  requested_by VARCHAR NOT NULL,
  reason VARCHAR,
  erased_at TIMESTAMPTZ NOT NULL,
  cleared VARCHAR NOT NULL,
  files_outside VARCHAR NOT NULL
)`;

export interface Erasure {
  erasure_id: number;
  customer_id: string;
  requested_by: string;
  reason: string | null;
  erased_at: string;
  /** Rows cleared per table. */
  cleared: Record<string, number>;
  /** Source files that held the customer's records and still exist outside the warehouse: the operator's to delete. */
  files_outside: string[];
}

async function tableExists(wh: Warehouse, schema: string, table: string): Promise<boolean> {
  const [{ n }] = await wh.all<{ n: number }>(
    'SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [schema, table]);
  return Number(n) > 0;
}

export async function eraseCustomer(wh: Warehouse, customerId: string, request: { requestedBy: string; reason?: string; lockWaitMs?: number }): Promise<Erasure> {
  const customers = getEntity('customers')!;
  const personal = personalColumns(customers);
  const identifiers = personalColumns(customers, 'identifier');
  const d = wh.dialect;
  const release = await wh.lock('erase', request.lockWaitMs ?? 60_000);
  try {
    return await wh.transaction(async () => {
      const cleared: Record<string, number> = {};
      const bronzeKey = "NULLIF(TRIM(customer_id), '') = $1";
      const sources = await wh.all<{ source: string }>(`SELECT DISTINCT m.source FROM meta.batches m
        WHERE m.batch_id IN (SELECT _batch_id FROM bronze.customers WHERE ${bronzeKey}) ORDER BY m.source`, [customerId]);
      const nulls = personal.map((c) => `${c} = NULL`).join(', ');
      // The content hash covered the personal values: it goes too, replaced by one that names only the row.
      cleared['bronze.customers'] = await wh.run(`UPDATE bronze.customers SET ${nulls}, _extra = NULL,
        _hash = md5('erased:' || CAST(_batch_id AS VARCHAR) || ':' || CAST(_line AS VARCHAR)) WHERE ${bronzeKey}`, [customerId]);
      cleared['silver.customers'] = await wh.run(`UPDATE silver.customers SET ${nulls} WHERE customer_id = $1`, [customerId]);
      cleared['silver.customers_history'] = await wh.run(`UPDATE silver.customers_history SET ${nulls} WHERE customer_id = $1`, [customerId]);
      // A rejected record keeps the raw text as it arrived: rebuilt from the now empty bronze record.
      const raw = d.jsonObject(Object.keys(customers.columns).map((c) => [c, c]));
      cleared['silver.rejects'] = await wh.run(`UPDATE silver.rejects SET raw = b.raw
        FROM (SELECT _batch_id, _line, ${raw} AS raw FROM bronze.customers WHERE ${bronzeKey}) b
        WHERE silver.rejects.entity = 'customers' AND silver.rejects.batch_id = b._batch_id AND silver.rejects.line = b._line`, [customerId]);
      if (await tableExists(wh, 'gold', 'dim_customer')) {
        const goldNulls = [...identifiers.map((c) => `${c}_token = NULL`), ...personal.filter((c) => !identifiers.includes(c)).map((c) => `${c} = NULL`)];
        cleared['gold.dim_customer'] = await wh.run(`UPDATE gold.dim_customer SET ${goldNulls.join(', ')} WHERE customer_id = $1`, [customerId]);
      }
      cleared['app.reminder_preferences'] = await wh.run('DELETE FROM app.reminder_preferences WHERE customer_id = $1', [customerId]);
      const filesOutside = sources.map((s) => s.source).filter((s) => s.startsWith('/') && existsSync(s));
      const [{ id }] = await wh.all<{ id: number }>('SELECT COALESCE(MAX(erasure_id), 0) + 1 AS id FROM meta.erasures');
      const erasure: Erasure = {
        erasure_id: Number(id), customer_id: customerId, requested_by: request.requestedBy, reason: request.reason ?? null,
        erased_at: new Date().toISOString(), cleared, files_outside: filesOutside,
      };
      await wh.run(`INSERT INTO meta.erasures (erasure_id, customer_id, requested_by, reason, erased_at, cleared, files_outside)
        VALUES ($1, $2, $3, $4, CAST($5 AS TIMESTAMPTZ), $6, $7)`,
      [erasure.erasure_id, customerId, erasure.requested_by, erasure.reason, erasure.erased_at, JSON.stringify(cleared), JSON.stringify(filesOutside)]);
      return erasure;
    });
  } finally {
    await release();
  }
}

export async function listErasures(wh: Warehouse): Promise<Erasure[]> {
  const rows = await wh.read<Omit<Erasure, 'cleared' | 'files_outside'> & { cleared: string; files_outside: string }>(
    'SELECT erasure_id, customer_id, requested_by, reason, erased_at, cleared, files_outside FROM meta.erasures ORDER BY erasure_id DESC');
  return rows.map((r) => ({ ...r, erasure_id: Number(r.erasure_id), cleared: JSON.parse(r.cleared), files_outside: JSON.parse(r.files_outside) }));
}
