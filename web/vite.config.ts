// The dashboard is a static single page built into dist/web, which `storepulse serve` serves at `/`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Vite strips the types without checking them, so the build checks them first (web/tsconfig.json): a type error
 * in the dashboard fails `npm run build` as one in src/ does.
 */
function typecheck(): Plugin {
  return {
    name: 'storepulse-typecheck',
    apply: 'build',
    buildStart() {
      const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
      const r = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { encoding: 'utf8' });
      if (r.status !== 0) this.error(`The dashboard (web/) does not type-check:\n${r.stdout}${r.stderr}`);
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [typecheck()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // Two pages of one app: the dashboard and the admin console (served at /admin).
    rollupOptions: { input: { main: join(here, 'index.html'), admin: join(here, 'admin.html') } },
  },
});
