// Debian's Chromium for the browser tests, driven by playwright-core: where it is, whether the tests can run,
// and how to launch it. In CI a missing browser is an error; elsewhere the tests skip and say why.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.STOREPULSE_TEST_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** How long a live update may take to show. */
export const LIVE = { timeout: 20_000 };

/** True when Chromium is there; otherwise throws in CI, or warns that `what` is skipped. */
export function chromiumAvailable(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) {
    throw new Error(`The browser tests must run in CI, but ${CHROMIUM} is missing: scripts/test-services.sh installs Debian's chromium (see its output), or set STOREPULSE_TEST_CHROMIUM.`);
  }
  console.warn(`[web] SKIPPING ${what}: ${CHROMIUM} is missing. Install Debian's chromium (scripts/test-services.sh does, as root) or set STOREPULSE_TEST_CHROMIUM to a Chromium binary.`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
