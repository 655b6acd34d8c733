// The untimed starting point of a figure's repetitions (bronze ingested, or a build of the earlier days), made
// once on DuckDB: its warehouse is a file in the home, so each repetition starts from a copy of the home. On
// PostgreSQL each repetition's database is made afresh (it takes one repetition by default).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushHome } from './flush-home.js';

export interface PreparedHomes {
  /** A new home at the starting point; with a PostgreSQL `warehouse` (a new database), prepared in it. */
  home(warehouse?: string): Promise<string>;
  /** Removes the home the copies came from. */
  dispose(): void;
}

export function preparedHomes(prefix: string, prepare: (home: string, warehouse?: string) => Promise<void>): PreparedHomes {
  let template: string | undefined;
  const fresh = () => mkdtempSync(join(tmpdir(), prefix));
  return {
    async home(warehouse) {
      if (warehouse) {
        const home = fresh();
        await prepare(home, warehouse);
        return home;
      }
      if (!template) {
        const made = fresh();
        await prepare(made);
        template = made;
      }
      const home = fresh();
      cpSync(template, home, { recursive: true });
      flushHome(home);
      return home;
    },
    dispose() {
      if (template) rmSync(template, { recursive: true, force: true });
    },
  };
}
