// Fills a model's placeholders: {{ base }}, {{ type('exact') }}, {{ epoch('ts') }}, {{ partition_filter('expr') }},
// {{ first_non_null('value; order, by') }}, {{ pii_token('expr') }} (HMAC token of personal data, see privacy/),
// {{ changes }}. Everything else in a model is SQL that both engines run as written.
import { piiTokenSql } from '../privacy/pii-tokens.js';
import { quoteLiteral, type Dialect, type SqlType } from '../warehouse/dialect.js';

export interface RenderContext {
  dialect: Dialect;
  baseCurrency: string;
  /** Temp table holding the affected partition values, or undefined for a full build. */
  affectedTable?: string;
  changesTable?: string;
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
      case 'partition_filter': return ctx.affectedTable ? `(${arg} IN (SELECT * FROM ${ctx.affectedTable}))` : 'TRUE';
      case 'changes':
        if (!ctx.changesTable) throw new Error(`{{ changes }} used outside an affected query: ${whole}`);
        return ctx.changesTable;
      default: throw new Error(`unknown placeholder ${whole}`);
    }
  });
}
