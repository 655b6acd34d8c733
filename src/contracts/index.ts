// The ten canonical entities, in the order the pipeline must process them (parents before children).
import { customers } from './customers.js';
import { events } from './events.js';
import { fxRates } from './fx-rates.js';
import { inventory } from './inventory.js';
import { orderItems } from './order-items.js';
import { orders } from './orders.js';
import { products } from './products.js';
import { returns } from './returns.js';
import { shipments } from './shipments.js';
import { supportCases } from './support-cases.js';
import type { EntityContract } from './types.js';

export const ENTITIES: readonly EntityContract[] = [
  fxRates, customers, products, orders, orderItems, shipments, returns, events, supportCases, inventory,
];

export const ENTITY_NAMES = ENTITIES.map((e) => e.name);

export function getEntity(name: string): EntityContract | undefined {
  return ENTITIES.find((e) => e.name === name);
}

export function requiredColumns(entity: EntityContract): string[] {
  return Object.entries(entity.columns).filter(([, c]) => c.required).map(([n]) => n);
}

export type { EntityContract, Column, ColumnType } from './types.js';

/** Columns holding personal data (see Column.personal); `kind` narrows to identifiers or locations. */
export function personalColumns(entity: EntityContract, kind?: 'identifier' | 'location'): string[] {
  return Object.entries(entity.columns).filter(([, c]) => c.personal && (!kind || c.personal === kind)).map(([n]) => n);
}
