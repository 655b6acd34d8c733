import type { Command } from 'commander';
import { ENTITIES, getEntity } from '../../contracts/index.js';
import { contractJsonSchema } from '../../contracts/json-schema.js';
import { StorePulseError } from '../../errors/catalogue.js';
import { table } from '../format.js';
import { action } from '../context.js';

export function registerContracts(program: Command): void {
  program.command('contracts')
    .description('The canonical shape of each entity: columns, types, required fields, allowed values, key and rules.')
    .argument('[entity]', 'one entity (default: a summary of all ten)')
    .option('--json-schema', 'print the JSON Schema (2020-12) derived from the contract (all entities: a JSON object by name)')
    .action(action(async (name: string | undefined, opts: { jsonSchema?: boolean }) => {
      const entities = name === undefined ? ENTITIES : [getEntity(name) ?? unknown(name)];
      if (opts.jsonSchema) {
        const out = name === undefined ? Object.fromEntries(entities.map((e) => [e.name, contractJsonSchema(e)])) : contractJsonSchema(entities[0]);
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      if (name === undefined) {
        process.stdout.write(table(entities.map((e) => ({ entity: e.name, key: e.key.join(' + '), columns: Object.keys(e.columns).length, description: e.description }))));
        return;
      }
      const e = entities[0];
      process.stdout.write(`${e.name}: ${e.description}\nkey: ${e.key.join(' + ')}\n\n`);
      process.stdout.write(table(Object.entries(e.columns).map(([column, c]) => ({
        column, type: c.type, required: c.required ? 'yes' : '', allowed: c.enum?.join(', ') ?? c.format ?? '',
        range: [c.min !== undefined ? `≥ ${c.min}` : '', c.greaterThan !== undefined ? `> ${c.greaterThan}` : '', c.max !== undefined ? `≤ ${c.max}` : ''].filter(Boolean).join(', '),
      }))));
      for (const r of e.rules ?? []) process.stdout.write(`rule ${r.name}: ${r.description}\n`);
    }));
}

function unknown(name: string): never {
  throw new StorePulseError('SP_ERR_UNKNOWN_ENTITY', `Unknown entity "${name}". Run storepulse contracts to list them.`, 400);
}
