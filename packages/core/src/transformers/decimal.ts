/**
 * Exact decimal arithmetic for `noise`: a number is an unscaled bigint and a scale
 * (`12.50` = 1250n at scale 2), so large integers and numeric(38,10) values never pass through a
 * float and keep every digit.
 */
export interface Decimal {
  unscaled: bigint;
  scale: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** Parses `-12.50`, `1e+21`, `.5`; undefined for anything else. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) return undefined;
  const [, sign, whole = '', fraction = '', exp] = m;
  if (!whole && !fraction) return undefined;
  let unscaled = BigInt(whole + fraction || '0');
  let scale = fraction.length - Number(exp ?? 0);
  // A negative scale (from an exponent) is folded into the digits: scales here are never negative.
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { unscaled: sign === '-' ? -unscaled : unscaled, scale };
}

/** The same number at another scale, rounding half away from zero when digits are dropped. */
export function rescale(value: Decimal, scale: number): Decimal {
  if (scale >= value.scale) return { unscaled: value.unscaled * 10n ** BigInt(scale - value.scale), scale };
  const divisor = 10n ** BigInt(value.scale - scale);
  const negative = value.unscaled < 0n;
  const magnitude = negative ? -value.unscaled : value.unscaled;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return { unscaled: negative ? -rounded : rounded, scale };
}

/** Plain text with exactly `scale` fraction digits, as PostgreSQL and MySQL print numerics. */
export function formatDecimal({ unscaled, scale }: Decimal): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * Integer ranges by type name, so noise near a limit is clamped instead of failing the load. The
 * name alone can mislead (SQLite's INTEGER holds 64 bits), so callers clamp only inputs that lie
 * inside the range.
 */
const INTEGER_BITS: [RegExp, number][] = [
  [/^(tinyint|int1)\b/, 8],
  [/^(smallint|int2|smallserial)\b/, 16],
  [/^mediumint\b/, 24],
  [/^(bigint|int8|bigserial)\b/, 64],
  [/^(integer|int|int4|serial)\b/, 32],
];

/** The inclusive range of an integer column type, undefined when the type is not recognised. */
export function integerRange(dataType: string): [bigint, bigint] | undefined {
  const type = dataType.toLowerCase();
  const bits = INTEGER_BITS.find(([re]) => re.test(type))?.[1];
  if (bits === undefined) return undefined;
  if (/\bunsigned\b/.test(type)) return [0n, 2n ** BigInt(bits) - 1n];
  return [-(2n ** BigInt(bits - 1)), 2n ** BigInt(bits - 1) - 1n];
}
