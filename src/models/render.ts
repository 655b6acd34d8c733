// Fills a model's placeholders: {{ base }}, {{ type('exact') }}, {{ epoch('ts') }}, {{ partition_filter('expr') }},
// {{ partition_values('query') }},
// {{ first_non_null('value; order, by') }}, {{ pii_token('expr') }} (HMAC token of personal data, see privacy/),
// {{ changes }}, {{ changed_current('key; column') }}, {{ changes_of('column, …') }}, {{ signed('table') }} (a sum
// model's input, see model-file), {{ rebuilt('table') }}. Everything else in a model is SQL that both engines run as
// written.
import { piiTokenSql } from '../privacy/pii-tokens.js';
import { quoteLiteral, type Dialect, type SqlType } from '../warehouse/dialect.js';

export interface RenderContext {
  dialect: Dialect;
  baseCurrency: string;
  /** Temp table holding the affected partition values, or undefined for a full build. */
  affectedTable?: string;
  /** A full build in parts (a model's `full_build_parts`): the part this statement builds, of how many. */
  part?: { index: number; of: number };
  changesTable?: string;
  /** A sum model's incremental build: per input it sums, its affected rows before and after, each with its _sign. */
  signed?: ReadonlyMap<string, string>;
  /**
   * An incremental build's upstream models whose rows after this run's rebuild cover every partition the build
   * needs, each to the temp table of those rows (see `rebuilt` below).
   */
  rebuilt?: ReadonlyMap<string, string>;
}

const CALL = /\{\{\s*([a-z_]+)(?:\(\s*'([^']*)'\s*\))?\s*\}\}/g;

export function render(sql: string, ctx: RenderContext): string {
  return sql.replace(CALL, (whole, fn: string, arg: string | undefined) => {
    switch (fn) {
      case 'base': return quoteLiteral(ctx.baseCurrency);
      case 'type': return ctx.dialect.type(arg as SqlType);
      case 'epoch': return ctx.dialect.epochSeconds(arg ?? '');
      case 'first_non_null': {
        const [value, orderBy] = (arg ?? '').split(';').map((x) => x.trim());
        if (!value || !orderBy) throw new Error(`first_non_null needs 'value; order, by': ${whole}`);
        return ctx.dialect.firstNonNull(value, orderBy);
      }
      case 'pii_token': return piiTokenSql(ctx.dialect, arg ?? '');
      case 'partition_filter':
        if (ctx.affectedTable) return `(${arg} IN (SELECT * FROM ${ctx.affectedTable}))`;
        if (!ctx.part) return 'TRUE';
        if (!ctx.dialect.hashPart) throw new Error(`this engine builds models whole, not in parts: ${whole}`);
        return `(${ctx.dialect.hashPart(arg ?? '', ctx.part.of)} = ${ctx.part.index})`;
      // The partition values a build covers: the affected ones, or in a full build those of the query given.
      case 'partition_values':
        if (!arg) throw new Error(`partition_values needs the query of a full build's values: ${whole}`);
        return ctx.affectedTable ? `(SELECT * FROM ${ctx.affectedTable})` : `(${arg})`;
      // A full build counts every row once; an incremental one reads the rows before (-1) and after (+1) a change.
      case 'signed':
        if (!arg) throw new Error(`signed needs a table: ${whole}`);
        if (ctx.signed && !ctx.signed.has(arg)) throw new Error(`no rows before and after for ${arg}: ${whole}`);
        return ctx.signed?.get(arg) ?? `(SELECT 1 AS _sign, s.* FROM ${arg} s)`;
      // An upstream model with the same partition column, of which the model reads only its own partitions' rows: in
      // an incremental build, where the upstream has just rebuilt all of them (model-runner checks), its few rows
      // after rather than a read of its whole table for them (the order facts' joins with fact_order at 10M order
      // lines: each a scan of the 25 days a day re-opens). Otherwise, and in a full build, the table itself.
      case 'rebuilt':
        if (!arg) throw new Error(`rebuilt needs a table: ${whole}`);
        return ctx.rebuilt?.get(arg) ?? arg;
      case 'changes':
        if (!ctx.changesTable) throw new Error(`{{ changes }} used outside an affected query: ${whole}`);
        return ctx.changesTable;
      // The keys of a type 2 dimension whose current version changed in `column`: a model that reads only that
      // column need not re-open what a change of any other column touched.
      case 'changed_current': {
        const [key, column] = (arg ?? '').split(';').map((x) => x.trim());
        if (!key || !column || !ctx.changesTable) throw new Error(`changed_current needs 'key; column', in an affected query: ${whole}`);
        return `(SELECT ${key} FROM ${ctx.changesTable} WHERE is_current GROUP BY ${key}
      HAVING MIN(CASE WHEN _change = 'old' THEN ${column} END) IS DISTINCT FROM MIN(CASE WHEN _change = 'new' THEN ${column} END))`;
      }
      // The change set seen through the columns a model reads of it: each distinct row of them whose count the
      // change moved. An old and a new version that agree on them (a parcel that changed only an order's delivery
      // flags) cancel out and re-open nothing.
      case 'changes_of': {
        const cols = (arg ?? '').split(',').map((c) => c.trim()).filter(Boolean);
        if (cols.length === 0 || !ctx.changesTable) throw new Error(`changes_of needs 'column, …', in an affected query: ${whole}`);
        return `(SELECT ${cols.join(', ')} FROM ${ctx.changesTable} GROUP BY ${cols.join(', ')}
      HAVING SUM(CASE WHEN _change = 'new' THEN 1 ELSE -1 END) <> 0)`;
      }
      default: throw new Error(`unknown placeholder ${whole}`);
    }
  });
}
