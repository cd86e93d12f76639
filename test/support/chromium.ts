/**
 * Headless Chromium (Debian's `chromium` package; `.ci/run` installs it) driven by its own
 * command-line flags: a screenshot, or the DOM after the page is laid out. No network: every
 * request goes to a proxy that does not exist, so a page that needed one would show it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

function chromium(page: string, args: string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'masque-chromium-'));
  try {
    const result = spawnSync(
      'chromium',
      [
        '--headless',
        // The suites run as root in CI, where Chromium's sandbox cannot start.
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--proxy-server=127.0.0.1:9',
        '--proxy-bypass-list=<-loopback>',
        ...args,
        pathToFileURL(resolve(page)).href,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 60_000 },
    );
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`chromium exited ${result.status}: ${result.stderr}`);
    return result.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** A PNG of the page's first `width` × `height` pixels. */
export function screenshot(page: string, png: string, width: number, height: number): void {
  chromium(page, [`--screenshot=${resolve(png)}`, `--window-size=${width},${height}`]);
}

/** The page's DOM as Chromium built it, serialised. */
export function dumpDom(page: string): string {
  return chromium(page, ['--dump-dom']);
}
