// Names of the tables a run builds apart (see built-apart.ts): silver.orders is built as silver._build_orders,
// committed, and renamed to silver.orders by the run's transaction. Until then no reader may take one for data.

export const BUILT_APART_PREFIX = '_build_';

/** The table built apart for `table` (schema.name), in the same schema: DuckDB renames within a schema only. */
export function builtApartName(table: string): string {
  const [schema, name] = table.split('.');
  return `${schema}.${BUILT_APART_PREFIX}${name}`;
}

/** A condition on a column holding a table's name: not a table being built apart (true on both engines). */
export function notBuiltApart(column = 'table_name'): string {
  return `substr(${column}, 1, ${BUILT_APART_PREFIX.length}) <> '${BUILT_APART_PREFIX}'`;
}

const TABLE_REF = /\b(silver|gold)\.([a-z_][a-z0-9_]*)\b/g;

/** SQL with each silver or gold table that `renames` names replaced by its other name. */
export function renameTables(sql: string, renames: ReadonlyMap<string, string>): string {
  return sql.replace(TABLE_REF, (table: string) => renames.get(table) ?? table);
}
