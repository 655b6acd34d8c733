// The mappings that come with StorePulse (mappings/<name>/mapping.yaml, each with a small sample data set):
// `--mapping shopify` finds one by name when no such file exists.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAPPINGS_DIR = fileURLToPath(new URL('../../../mappings/', import.meta.url));

export function shippedMappings(): string[] {
  if (!existsSync(MAPPINGS_DIR)) return [];
  return readdirSync(MAPPINGS_DIR).filter((n) => existsSync(join(MAPPINGS_DIR, n, 'mapping.yaml'))).sort();
}

/** A path as given, else the shipped mapping of that name, else the path as given (to fail with "no such file"). */
export function resolveMappingFile(nameOrPath: string): string {
  if (existsSync(nameOrPath)) return nameOrPath;
  const shipped = join(MAPPINGS_DIR, nameOrPath, 'mapping.yaml');
  return existsSync(shipped) ? shipped : nameOrPath;
}
