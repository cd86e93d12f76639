import { describe, expect, it } from 'vitest';
import { DatabaseError, RuntimeError } from '../errors.ts';
import { describeError, statementError, withoutValues } from './driver-error.ts';

/** A driver error as pg or mysql2 builds one. */
const driverError = (message: string, fields: { code?: string; errno?: number; detail?: string } = {}): Error =>
  Object.assign(new Error(message), fields);

describe('withoutValues', () => {
  it.each([
    // MariaDB
    ["Duplicate entry '1' for key 'PRIMARY'", "Duplicate entry '…' for key 'PRIMARY'"],
    ["Duplicate entry 'O'Brien-x' for key 'name_key'", "Duplicate entry '…' for key 'name_key'"],
    [
      "Incorrect integer value: 'abc' for column `db`.`t`.`n` at row 1",
      "Incorrect integer value: '…' for column `db`.`t`.`n` at row 1",
    ],
    ["Data too long for column 'title' at row 1", "Data too long for column 'title' at row 1"],
    ["Can't write; duplicate key in table 'film_text'", "Can't write; duplicate key in table 'film_text'"],
    [
      'Cannot add or update a child row: a foreign key constraint fails ' +
        '(`db`.`rental`, CONSTRAINT `rental_film` FOREIGN KEY (`film_id`) REFERENCES `film` (`id`))',
      'Cannot add or update a child row: a foreign key constraint fails ' +
        '(`db`.`rental`, CONSTRAINT `rental_film` FOREIGN KEY (`film_id`) REFERENCES `film` (`id`))',
    ],
    // PostgreSQL messages and details
    [
      'duplicate key value violates unique constraint "film_pkey"',
      'duplicate key value violates unique constraint "film_pkey"',
    ],
    ['Key (email)=(alice@example.com) already exists.', 'Key (email)=(…) already exists.'],
    ['Key (a, b)=(x), "y) already exists.', 'Key (a, b)=(…) already exists.'],
    ['Key (film_id)=(5) is not present in table "film".', 'Key (film_id)=(…) is not present in table "film".'],
    ['Key (id)=(5) is still referenced from table "rental".', 'Key (id)=(…) is still referenced from table "rental".'],
    ['Failing row contains (1, alice, null).', 'Failing row contains (…).'],
    ['invalid input syntax for type integer: "a"b"', 'invalid input syntax for type integer: "…"'],
    [
      'null value in column "title" of relation "film" violates not-null constraint',
      'null value in column "title" of relation "film" violates not-null constraint',
    ],
  ])('%s', (message, expected) => {
    expect(withoutValues(message)).toBe(expected);
  });
});

describe('statementError', () => {
  it('names the subject, adds the code and PostgreSQL detail, and blanks the values', () => {
    const pg = driverError('duplicate key value violates unique constraint "film_text_pkey"', {
      code: '23505',
      detail: 'Key (film_id)=(1) already exists.',
    });
    expect(statementError('moving public.film_text into place', pg).message).toBe(
      'moving public.film_text into place: duplicate key value violates unique constraint "film_text_pkey"; ' +
        'Key (film_id)=(…) already exists.',
    );
    const mysql = driverError("Duplicate entry '1' for key 'PRIMARY'", { code: 'ER_DUP_ENTRY', errno: 1062 });
    const error = statementError('moving table `film_text` into place', mysql);
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error.message).toBe(
      "moving table `film_text` into place: ER_DUP_ENTRY (1062): Duplicate entry '…' for key 'PRIMARY'",
    );
  });

  it("keeps masque's own errors as they are: they already name what failed", () => {
    const own = new RuntimeError('film.title (email): not a text');
    expect(statementError('copying film', own)).toBe(own);
  });

  it('describes what is not an Error', () => {
    expect(describeError('socket closed')).toBe('socket closed');
  });
});
