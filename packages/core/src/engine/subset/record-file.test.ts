import { describe, expect, it } from 'vitest';
import type { Row } from '../../dialects/dialect.ts';
import { RecordFile } from './record-file.ts';

describe('RecordFile', () => {
  it('gives rows back with each value of its own type', () => {
    const file = new RecordFile();
    const row: Row = ['text é', 42, 2n ** 70n, true, false, null, Buffer.from([0, 255, 7]), ''];
    file.append(row);
    file.append([1.5]);
    const { rows, next } = file.read(0, file.end, 10);
    expect(rows).toEqual([row, [1.5]]);
    expect(next).toBe(file.end);
    expect(file.length).toBe(2);
    file.close();
  });

  it('reads by position across what went to the file and what is still in memory, in bounded windows', () => {
    const file = new RecordFile();
    const wide = 'x'.repeat(3000);
    const marks: number[] = [];
    for (let i = 0; i < 2000; i++) {
      marks.push(file.end);
      file.append([i, i % 7 === 0 ? wide : `row ${i}`]);
    }
    // 2000 rows of up to 3 KB went past the 1 MB buffer: most are in the file.
    const all: Row[] = [];
    for (let at = 0; at < file.end; ) {
      const { rows, next } = file.read(at, file.end, 333);
      expect(rows.length).toBeLessThanOrEqual(333);
      all.push(...rows);
      at = next;
    }
    expect(all.map((r) => r[0])).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(all[700]![1]).toBe(wide);
    // From a row's position, up to another's: exactly the rows between.
    const { rows } = file.read(marks[1500]!, marks[1510]!, 100);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, i) => 1500 + i));
    file.close();
  });

  it('leaves a range read as it was when rows are appended after it', () => {
    const file = new RecordFile();
    for (let i = 0; i < 10; i++) file.append([i]);
    const end = file.end;
    const first = file.read(0, end, 4);
    for (let i = 10; i < 20; i++) file.append([i]);
    const rest = file.read(first.next, end, 100);
    expect([...first.rows, ...rest.rows].map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    file.close();
  });

  it('reads a row longer than the read window whole', () => {
    const file = new RecordFile();
    const huge = 'y'.repeat(3 * 2 ** 20);
    file.append(['a']);
    file.append([huge]);
    file.append(['b']);
    const { rows } = file.read(0, file.end, 10);
    expect(rows.map((r) => String(r[0]).length)).toEqual([1, huge.length, 1]);
    file.close();
  });
});
