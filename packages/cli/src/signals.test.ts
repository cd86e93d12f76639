import { describe, expect, it } from 'vitest';
import { abortOnSignals } from './signals.ts';

describe('abortOnSignals', () => {
  it('turns an error nobody caught into the failure that stops the run, and lets go of it after', () => {
    const before = process.listenerCount('uncaughtException');
    const stop = abortOnSignals([]);
    const stray = new Error('Connection terminated unexpectedly');
    process.emit('uncaughtException', stray);
    process.emit('unhandledRejection', new Error('a later one'), Promise.resolve());
    expect(stop.signal.aborted).toBe(true);
    expect(stop.signal.reason).toBe(stray);
    expect(stop.uncaught).toEqual({ error: stray });
    stop.dispose();
    expect(process.listenerCount('uncaughtException')).toBe(before);
  });
});
