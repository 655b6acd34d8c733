// Config files validated against a JSON Schema (mappings, streams): ajv finds every error, and the one reported
// is the most useful of them (the deepest path, not a generic "must match one schema" summary), worded for people.
// A schema's patterns carry `x-expected`: what a matching value is, in words.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../contracts/json-schema.js';

export interface SchemaProblem {
  path: string[];
  problem: string;
}

/** Compiles once, on first use; returns the problem of an invalid value, or undefined. */
export function configValidator(schema: () => JsonSchema, hints: {
  /** More words for an unknown key (say, where the valid ones are listed). */
  unknownKey?: (path: readonly string[], key: string) => string;
  /** Words for a value that matches none of several shapes. */
  oneOf?: (path: readonly string[]) => string | undefined;
} = {}): (value: unknown) => SchemaProblem | undefined {
  let validate: ReturnType<Ajv2020['compile']> | undefined;
  return (value) => {
    validate ??= new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(schema());
    return validate(value) ? undefined : describe([...(validate.errors ?? [])], hints);
  };
}

function describe(errors: ErrorObject[], hints: Parameters<typeof configValidator>[1]): SchemaProblem {
  const depth = (e: ErrorObject) => e.instancePath.split('/').length + (e.keyword === 'additionalProperties' ? 1 : 0);
  const rank = (e: ErrorObject) => (e.keyword === 'type' ? 2 : e.keyword === 'oneOf' ? 1 : 0);
  const best = [...errors].sort((a, b) => depth(b) - depth(a) || rank(a) - rank(b))[0];
  const path = best.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const at = path.length ? `"${path.join('.')}"` : 'the file';
  const p = best.params as Record<string, unknown>;
  switch (best.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      return { path: [...path, key], problem: `unknown key "${key}" in ${at}${hints?.unknownKey?.(path, key) ?? ''}` };
    }
    case 'required': return { path, problem: `${at} needs "${String(p.missingProperty)}"` };
    case 'enum': return { path, problem: `${at} must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
    // A pattern says in its schema what it stands for (x-expected), since a regular expression tells people little.
    case 'pattern': return { path, problem: `${at} is ${JSON.stringify(best.data)}: expected ${(best.parentSchema as { 'x-expected'?: string })?.['x-expected'] ?? `text matching ${String(p.pattern)}`}` };
    case 'oneOf': return { path, problem: hints?.oneOf?.(path) ?? `${at} ${best.message}` };
    default: return { path, problem: `${at} ${best.message}` };
  }
}
