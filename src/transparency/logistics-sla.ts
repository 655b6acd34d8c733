// Public logistics service level per carrier, as gold.mart_carrier_sla computes it.
import type { Warehouse } from '../warehouse/engine.js';

export const LOGISTICS_COLUMNS = [
  'carrier', 'shipments', 'delivered', 'on_time', 'late', 'lost', 'on_time_share', 'avg_transit_hours', 'lost_share',
  'first_order_date', 'last_order_date',
] as const;

export async function logisticsSla(wh: Warehouse) {
  const DOUBLE = wh.dialect.type('number');
  const rows = await wh.read(`
    SELECT carrier, shipments, delivered, on_time, late, lost,
      CAST(ROUND(CAST(on_time_share AS DECIMAL(18,6)), 4) AS ${DOUBLE}) AS on_time_share,
      CAST(ROUND(CAST(avg_transit_hours AS DECIMAL(18,6)), 1) AS ${DOUBLE}) AS avg_transit_hours,
      CAST(ROUND(CAST(lost_share AS DECIMAL(18,6)), 4) AS ${DOUBLE}) AS lost_share,
      CAST(first_order_date AS VARCHAR) AS first_order_date, CAST(last_order_date AS VARCHAR) AS last_order_date
    FROM gold.mart_carrier_sla
    ORDER BY shipments DESC, carrier`);
  return { rows };
}
