/**
 * LOAD DATA's text, written byte by byte into the buffer that goes to the server. Building it as
 * a string (`text += field`) kept every row's values alive, through the string's pieces, until a
 * whole chunk was flattened and encoded: they outlived V8's young generation and were collected
 * by full collections. Here a value is copied as it comes and its row dies young.
 */

/** `\\`, tab, newline, carriage return and NUL need a backslash escape in LOAD DATA's text. */
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };
const specials = /[\\\t\n\r\0]/g;

export class LoadDataBuffer {
  private buffer: Buffer;
  private length = 0;

  /** Chunks are handed on once they hold `chunkBytes`. */
  constructor(private readonly chunkBytes: number) {
    this.buffer = Buffer.allocUnsafe(chunkBytes + 4096);
  }

  get full(): boolean {
    return this.length >= this.chunkBytes;
  }

  get empty(): boolean {
    return this.length === 0;
  }

  /** A field's text, escaped; ASCII goes byte by byte, anything else through UTF-8 encoding. */
  text(value: string): void {
    const n = value.length;
    this.reserve(3 * n);
    const buffer = this.buffer;
    const start = this.length;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 128 || c === 92 || c === 9 || c === 10 || c === 13 || c === 0) {
        this.reserve(6 * n);
        this.length += this.buffer.write(
          value.replace(specials, (s) => escapes[s]!),
          start,
          'utf8',
        );
        return;
      }
      buffer[start + i] = c;
    }
    this.length = start + n;
  }

  /** Text known to need no escape and to be ASCII (`\N`, hex digits). */
  ascii(value: string): void {
    this.reserve(value.length);
    this.length += this.buffer.write(value, this.length, 'latin1');
  }

  /** A field separator (tab) or a line end (newline). */
  byte(code: number): void {
    this.reserve(1);
    this.buffer[this.length++] = code;
  }

  /** The bytes written so far, as a buffer of their own; writing goes on in a new one. */
  take(): Buffer {
    const chunk = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(this.chunkBytes + 4096);
    this.length = 0;
    return chunk;
  }

  /** Room for `bytes` more: a value larger than what is left grows the buffer. */
  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
