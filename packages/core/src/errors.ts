/**
 * Typed errors. The core never exits the process; the CLI maps each class to an exit code
 * (SPEC: 1 a check found problems, 2 usage or config error, 3 database or runtime error).
 */

/** Where in a rules file a problem is: `file:line:column`. */
export interface SourcePlace {
  file: string;
  line: number;
  column: number;
}

export function formatPlace(place: SourcePlace | undefined): string {
  return place ? `${place.file}:${place.line}:${place.column}` : '';
}

export class MasqueError extends Error {
  readonly exitCode: number = 3;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The rules file or the command line is wrong: bad YAML, unknown transformer, wrong parameter. */
export class ConfigError extends MasqueError {
  override readonly exitCode = 2;
  constructor(
    message: string,
    readonly place?: SourcePlace,
  ) {
    super(place ? `${formatPlace(place)}: ${message}` : message);
  }
}

/** One problem found by comparing the rules with the live schemas. */
export interface Problem {
  severity: 'error' | 'warning';
  /** `table` or `table.column` the problem is about. */
  subject: string;
  message: string;
  place?: SourcePlace;
}

export function formatProblem(p: Problem): string {
  const where = p.place ? ` (${formatPlace(p.place)})` : '';
  return `${p.severity}: ${p.subject}: ${p.message}${where}`;
}

/** Rules and live schemas disagree: nothing is written. Carries every problem at once. */
export class CheckError extends MasqueError {
  override readonly exitCode = 1;
  constructor(readonly problems: Problem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(`${errors.length} problem(s) between the rules and the databases:\n${errors.map(formatProblem).join('\n')}`);
  }
}

/** A database could not be reached or refused a statement. Never carries a password. */
export class DatabaseError extends MasqueError {
  override readonly exitCode = 3;
}

/** Which of a run's databases a connection belongs to, for messages. */
export type DatabaseSide = 'source' | 'target';

/**
 * A connection to a database went away in the middle of the work (killed, server restarted,
 * network gone): one line that says which database, what masque was doing and why in plain words.
 */
export class ConnectionLost extends DatabaseError {
  constructor(
    readonly side: DatabaseSide | undefined,
    /** The database's URL without its password. */
    readonly url: string,
    /** Plain words: `the server closed it`, `it was killed`, … */
    readonly reason: string,
    readonly step?: string,
  ) {
    super(
      `lost the connection to the ${side ? `${side} ` : ''}database (${url})${step ? ` while ${step}` : ''}: ${reason}`,
    );
  }

  /** The same loss, saying what masque was doing (the first step named stays). */
  during(step: string): ConnectionLost {
    return this.step ? this : new ConnectionLost(this.side, this.url, this.reason, step);
  }
}

/** A value could not be masked or written; names table and column, never the value. */
export class RuntimeError extends MasqueError {
  override readonly exitCode = 3;
}
