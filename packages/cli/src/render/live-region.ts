import { fitWidth } from './format.ts';

/**
 * The bottom lines of a terminal, redrawn in place: each update moves the cursor up over the lines
 * drawn last time, clears to the end of the screen and writes the new ones. Lines printed with
 * `above` stay for good (finished tables, warnings) and the live lines move below them. Live lines
 * are cut to the terminal's width, since a wrapped line would throw off the count of lines to go up.
 */
export class LiveRegion {
  private height = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(live: string[], above: string[] = []): void {
    const width = this.stream.columns ? this.stream.columns - 1 : undefined;
    let out = this.height ? `\x1b[${this.height}A\r\x1b[J` : '';
    for (const line of above) out += `${line}\n`;
    for (const line of live) out += `${fitWidth(line, width)}\n`;
    this.height = live.length;
    if (out) this.stream.write(out);
  }
}
