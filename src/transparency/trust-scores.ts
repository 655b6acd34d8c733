// Public trust scores per product, as gold.mart_product_trust computes them; the formula is the model's own
// description, so the published text and the SQL cannot drift apart.
import { loadModels } from '../models/model-file.js';
import type { Warehouse } from '../warehouse/engine.js';

export const TRUST_COLUMNS = [
  'product_id', 'name', 'category', 'brand', 'trust_score', 'punctuality', 'return_rate', 'responsiveness', 'csat',
  'sustainability', 'orders', 'units_sold', 'deliveries_judged', 'support_cases',
] as const;

let formula: string | undefined;
export function trustFormula(): string {
  formula ??= loadModels().find((m) => m.name === 'gold.mart_product_trust')?.description.trim() ?? '';
  return formula;
}

export async function trustScores(wh: Warehouse, filter: { category?: string; limit: number }) {
  const DOUBLE = wh.dialect.type('number');
  const ratio = (c: string) => `CAST(ROUND(CAST(${c} AS DECIMAL(18,6)), 4) AS ${DOUBLE}) AS ${c}`;
  const rows = await wh.read(`
    SELECT product_id, name, category, brand, trust_score,
      ${['punctuality', 'return_rate', 'responsiveness', 'csat', 'sustainability'].map(ratio).join(', ')},
      orders, units_sold, deliveries_judged, support_cases
    FROM gold.mart_product_trust
    WHERE CAST($1 AS VARCHAR) IS NULL OR category = $1
    ORDER BY trust_score DESC NULLS LAST, product_id
    LIMIT ${filter.limit}`, [filter.category ?? null]);
  return { formula: trustFormula(), rows };
}
