// Names of the tables a run builds apart (see built-apart.ts): silver.orders is built as silver._build_orders,
// committed, and renamed to silver.orders by the run's transaction. Until then no reader may take one for data.
import { TABLE_REF } from '../models/model-file.js';

export const BUILT_APART_PREFIX = '_build_';

/** The table built apart for `table` (schema.name), in the same schema: DuckDB renames within a schema only. */
export function builtApartName(table: string): string {
  const [schema, name] = table.split('.');
  return `${schema}.${BUILT_APART_PREFIX}${name}`;
}

/** A condition on a column holding a table's name: a table being built apart (the same on both engines). */
export function isBuiltApart(column = 'table_name'): string {
  return `substr(${column}, 1, ${BUILT_APART_PREFIX.length}) = '${BUILT_APART_PREFIX}'`;
}

/** The tables readers list: every one but those being built apart. */
export function notBuiltApart(column = 'table_name'): string {
  return `NOT (${isBuiltApart(column)})`;
}

/** SQL with each silver or gold table that `renames` names replaced by its other name. */
export function renameTables(sql: string, renames: ReadonlyMap<string, string>): string {
  return sql.replace(TABLE_REF, (table: string) => renames.get(table) ?? table);
}
