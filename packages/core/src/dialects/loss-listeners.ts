import type { ConnectionLost } from '../errors.ts';

/** The listeners of `Dialect.onLost`: each told once, of the first loss of the database's connections. */
export class LossListeners {
  private readonly listeners: ((loss: ConnectionLost) => void)[] = [];
  private told = false;

  add(listener: (loss: ConnectionLost) => void): void {
    this.listeners.push(listener);
  }

  /** Tells every listener of `loss`, unless one loss was told already. */
  tell(loss: ConnectionLost): void {
    if (this.told) return;
    this.told = true;
    for (const listener of this.listeners.splice(0)) listener(loss);
  }
}
