import type { RunListener } from '@masque/core';

/** One JSON object per event, for cron, CI and log collectors. Progress events are thinned. */
export function jsonLinesReporter(write: (line: string) => void = (l) => process.stdout.write(l)): RunListener {
  let lastProgress = 0;
  return (event) => {
    if (event.type === 'table-progress') {
      if (Date.now() - lastProgress < 1000) return;
      lastProgress = Date.now();
    }
    write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
  };
}
