// Kubernetes resource quantities ("500m", "1.5Gi", "1e3"), with the same parse rules,
// rounding and canonical serialisation as resource.Quantity. Values are held exactly as a
// BigInt count of nano-units: parsing rounds up to 1n, so nothing finer ever exists.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export const ERR_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const ERR_SUFFIX = "unable to parse quantity's suffix";
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';

export class QuantityParseError extends Error {}

const NANO = 9;
const NANOS_PER_UNIT = 10n ** 9n;
/** BinarySI values are capped here (Go's int64 maximum). */
const MAX_ALLOWED = 2n ** 63n - 1n;
const INT64_MAX = MAX_ALLOWED;
const INT32_MAX = 2147483647;
/** Refuse absurd exponents (1e999999) rather than build million-digit numbers. */
const MAX_DECIMAL_SHIFT = 4096;

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binaryByExponent = new Map([[0, ''], ...Object.entries(binarySuffixes).map(([s, e]) => [e, s] as [number, string])]);

interface ParsedParts {
  positive: boolean;
  /** The numeric text as written (sign included), without the suffix. */
  value: string;
  /** Integer digits with leading zeros removed ("0" when none). */
  num: string;
  /** Fraction digits, possibly empty. */
  denom: string;
  suffix: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const SUFFIX_CHARS = 'eEinumkKMGTP';

// Splits a quantity the way Go's parseQuantityString does, quirks included ("." and "-" are zero).
function splitQuantity(str: string): ParsedParts {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let start = pos;
  while (pos < end && isDigit(str[pos])) pos++;
  let num = str.slice(start, pos);
  if (pos >= end) return { positive, value: str, num: num || '0', denom: '', suffix: '' };
  if (num === '') num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    start = pos;
    while (pos < end && isDigit(str[pos])) pos++;
    denom = str.slice(start, pos);
    if (pos >= end) return { positive, value: str, num, denom, suffix: '' };
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityParseError(ERR_FORMAT_WRONG);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

interface SuffixMeaning {
  base: 10 | 2;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): SuffixMeaning | undefined {
  if (suffix in decimalSuffixes) return { base: 10, exponent: decimalSuffixes[suffix], format: 'DecimalSI' };
  if (suffix in binarySuffixes) return { base: 2, exponent: binarySuffixes[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > INT32_MAX) return undefined;
    return { base: 10, exponent, format: 'DecimalExponent' };
  }
  return undefined;
}

/** Divides toward +infinity when the remainder is non-zero, keeping the sign of n. */
function divAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n ? q : n < 0n ? q - 1n : q + 1n;
}

function removeFactors(n: bigint, factor: bigint): [bigint, number] {
  let times = 0;
  if (n === 0n) return [n, 0];
  while (n % factor === 0n) {
    n /= factor;
    times++;
  }
  return [n, times];
}

export class Quantity {
  /** Exact value in units of 10^-9. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
  /** The text as given, kept when Kubernetes would keep it (already canonical). */
  private readonly cached: string | undefined;

  private constructor(nanos: bigint, format: QuantityFormat, cached?: string) {
    this.nanos = nanos;
    this.format = format;
    this.cached = cached;
  }

  /** Parses like resource.ParseQuantity; throws QuantityParseError with Kubernetes' message. */
  static parse(str: string): Quantity {
    if (typeof str !== 'string' || str.length === 0) throw new QuantityParseError(ERR_FORMAT_WRONG);
    if (str === '0') return new Quantity(0n, 'DecimalSI', str);
    const parts = splitQuantity(str);
    const meaning = interpretSuffix(parts.suffix);
    if (!meaning) throw new QuantityParseError(ERR_SUFFIX);
    const digits = BigInt(parts.num + parts.denom);
    const signed = parts.positive ? 1n : -1n;
    let nanos: bigint;
    let format = meaning.format;
    if (meaning.base === 10) {
      // value = digits * 10^(exponent - len(denom)); round up (away from zero) to nanos.
      const shift = meaning.exponent - parts.denom.length + NANO;
      if (shift > MAX_DECIMAL_SHIFT) throw new QuantityParseError(ERR_NUMERIC);
      if (shift >= 0) nanos = digits * 10n ** BigInt(shift);
      // Anything smaller than the divisor rounds up to one nano (or stays zero).
      else if (-shift > (parts.num + parts.denom).length) nanos = digits === 0n ? 0n : 1n;
      else nanos = divAwayFromZero(digits, 10n ** BigInt(-shift));
    } else {
      const scaled = digits * (1n << BigInt(meaning.exponent)) * NANOS_PER_UNIT;
      nanos = divAwayFromZero(scaled, 10n ** BigInt(parts.denom.length));
      if (nanos > MAX_ALLOWED * NANOS_PER_UNIT) nanos = MAX_ALLOWED * NANOS_PER_UNIT;
      if (nanos > 0n && nanos < NANOS_PER_UNIT) format = 'DecimalSI';
    }
    nanos *= signed;
    return new Quantity(nanos, format, keepsOriginalText(parts, meaning) ? str : undefined);
  }

  /** Parses, or returns undefined for malformed input. */
  static tryParse(str: unknown): Quantity | undefined {
    if (typeof str === 'number' && Number.isFinite(str)) str = String(str);
    if (typeof str !== 'string') return undefined;
    try {
      return Quantity.parse(str);
    } catch {
      return undefined;
    }
  }

  static fromNanos(nanos: bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(nanos, format);
  }

  static fromMilli(milli: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(milli) * 1_000_000n, format);
  }

  static fromValue(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value) * NANOS_PER_UNIT, format);
  }

  static zero(format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(0n, format);
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.nanos === 0n ? 0 : this.nanos < 0n ? -1 : 1;
  }

  /** The value in whole units, rounded away from zero (Go's Value()). */
  value(): number {
    return Number(this.valueBig());
  }

  valueBig(): bigint {
    return divAwayFromZero(this.nanos, NANOS_PER_UNIT);
  }

  /** The value in thousandths, rounded away from zero (Go's MilliValue()). */
  milliValue(): number {
    return Number(this.milliValueBig());
  }

  milliValueBig(): bigint {
    return divAwayFromZero(this.nanos, 1_000_000n);
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos === other.nanos ? 0 : this.nanos < other.nanos ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.nanos === other.nanos;
  }

  /** Sum; a zero left-hand side takes the right-hand side's format, as in Go. */
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.nanos === 0n ? other.format : this.format);
  }

  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.nanos === 0n ? other.format : this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.nanos, this.format);
  }

  /** Canonical text, as Kubernetes serialises the quantity. */
  toString(): string {
    return this.cached ?? canonical(this.nanos, this.format);
  }

  toJSON(): string {
    return this.toString();
  }
}

// Go keeps the caller's text when its fast path proves it is already canonical.
function keepsOriginalText(parts: ParsedParts, meaning: SuffixMeaning): boolean {
  const shifted = parts.num + parts.denom;
  if (meaning.base === 2) {
    if (parts.denom.length > 0) return false;
    const precision = 15 - parts.num.length - Math.trunc((meaning.exponent * 3) / 10) - 1;
    if (precision < 0) return false;
    const value = BigInt(parts.num);
    if (value > INT64_MAX || value * (1n << BigInt(meaning.exponent)) > INT64_MAX) return false;
    return meaning.exponent % 10 === 0 && (value & 7n) !== 0n;
  }
  const precision = 18 - shifted.length;
  const scale = meaning.exponent - parts.denom.length;
  if (precision < 0 || scale < -NANO) return false;
  if (BigInt(shifted) > INT64_MAX) return false;
  return scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
}

function canonical(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return '0';
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const sign = negative ? '-' : '';
  if (format === 'BinarySI') {
    const whole = abs % NANOS_PER_UNIT === 0n;
    if (abs < 1024n * NANOS_PER_UNIT || !whole) format = 'DecimalSI';
    else {
      const [mantissa, times] = removeFactors(abs / NANOS_PER_UNIT, 1024n);
      const suffix = binaryByExponent.get(times * 10);
      if (suffix !== undefined) return sign + mantissa.toString() + suffix;
      // Beyond "Ei" there is no binary suffix: fall back to an exact decimal form.
      return sign + decimalText(abs, 'DecimalExponent');
    }
  }
  return sign + decimalText(abs, format);
}

// Mantissa with every factor of ten moved into an exponent that is a multiple of three.
function decimalText(abs: bigint, format: QuantityFormat): string {
  let [mantissa, times] = removeFactors(abs, 10n);
  let exponent = times - NANO;
  const adjust = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(adjust);
  exponent -= adjust;
  if (format === 'DecimalExponent') {
    return mantissa.toString() + (exponent === 0 ? '' : `e${exponent}`);
  }
  const suffix = decimalByExponent.get(exponent);
  if (suffix !== undefined) return mantissa.toString() + suffix;
  return `${mantissa}e${exponent}`;
}

/** Kubernetes' canonical form of a quantity string; throws on malformed input. */
export function canonicalQuantity(str: string): string {
  return Quantity.parse(str).toString();
}
