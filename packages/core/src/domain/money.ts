import { PaymentsError } from './errors.js';

/**
 * Digits after the decimal point per currency. Fiat follows ISO 4217; crypto
 * follows the coin's usual display precision. Unknown codes are treated as
 * two-digit fiat; pass `currencyScales` to `createPayments` to add or override some.
 */
const KNOWN_SCALES: Readonly<Record<string, number>> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  RUB: 2,
  UAH: 2,
  KZT: 2,
  BYN: 2,
  CHF: 2,
  CAD: 2,
  AUD: 2,
  CNY: 2,
  INR: 2,
  TRY: 2,
  PLN: 2,
  BRL: 2,
  HKD: 2,
  SGD: 2,
  AED: 2,
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  HUF: 2,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  TND: 3,
  JOD: 3,
  BTC: 8,
  LTC: 8,
  BCH: 8,
  DOGE: 8,
  DASH: 8,
  ETH: 18,
  BNB: 18,
  MATIC: 18,
  POL: 18,
  TRX: 6,
  SOL: 9,
  TON: 9,
  USDT: 6,
  USDC: 6,
  DAI: 18,
  XMR: 12,
};

/**
 * Extra or overriding precisions, keyed by upper-case code. Each `createPayments`
 * instance has its own (its `currencyScales` option); nothing is shared process-wide.
 */
export type CurrencyScales = Readonly<Record<string, number>>;

const NO_EXTRA_SCALES: CurrencyScales = Object.freeze({});

/** Largest amount, in major units, that paymount accepts: anything above is a bug, not an order. */
const MAX_MAJOR_DIGITS = 15;
const CURRENCY_PATTERN = /^[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{2,10})?$/;
const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?$/;

/** Normalises the codes of a `currencyScales` option ("ton" → "TON"). */
export function currencyScalesFrom(scales: Readonly<Record<string, number>> | undefined): CurrencyScales {
  if (!scales) return NO_EXTRA_SCALES;
  const table: Record<string, number> = {};
  for (const [code, scale] of Object.entries(scales)) table[normalizeCurrency(code)] = scale;
  return Object.freeze(table);
}

/** Upper-cases and checks a currency code; throws `invalid_amount` for anything that is not one. */
export function normalizeCurrency(currency: unknown): string {
  if (typeof currency !== 'string') {
    throw new PaymentsError('invalid_amount', 'Currency must be a string code such as "USD".');
  }
  const code = currency.trim().toUpperCase();
  if (!CURRENCY_PATTERN.test(code)) {
    throw new PaymentsError('invalid_amount', `"${currency.slice(0, 16)}" is not a currency code.`);
  }
  return code;
}

/** Digits after the point for a currency (2 for unknown fiat codes). */
export function currencyScale(currency: string, extra: CurrencyScales = NO_EXTRA_SCALES): number {
  const code = normalizeCurrency(currency);
  return extra[code] ?? KNOWN_SCALES[code] ?? 2;
}

/** An exact decimal: `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

// The text last parsed and what it read as: a callback parses its payment's amount several
// times over (the provider's echo, the order asked again, the transition's checks).
let lastText: string | undefined;
let lastParsed: Decimal = { units: 0n, scale: 0 };

/**
 * Parses a strict non-negative decimal string ("10", "10.5", "0.00102549").
 * No signs, exponents, commas, spaces or JS numbers: money must never pass
 * through a float.
 */
export function parseDecimal(value: unknown): Decimal {
  if (value === lastText) return lastParsed;
  if (typeof value === 'number') {
    throw new PaymentsError(
      'invalid_amount',
      'Amounts must be decimal strings such as "10.00", not JS numbers (floats lose cents).',
    );
  }
  if (typeof value !== 'string') {
    throw new PaymentsError('invalid_amount', 'Amount must be a decimal string such as "10.00".');
  }
  const match = DECIMAL_PATTERN.exec(value);
  if (!match) {
    throw new PaymentsError(
      'invalid_amount',
      `"${value.slice(0, 40)}" is not a decimal amount like "10.00".`,
    );
  }
  const whole = match[1]!;
  const fraction = match[2] ?? '';
  if (whole.replace(/^0+/, '').length > MAX_MAJOR_DIGITS) {
    throw new PaymentsError('invalid_amount', `Amount "${value.slice(0, 40)}" is absurdly large.`);
  }
  if (fraction.length > 30) {
    throw new PaymentsError('invalid_amount', `Amount "${value.slice(0, 40)}" has too many decimal places.`);
  }
  lastParsed = { units: BigInt(whole + fraction), scale: fraction.length };
  lastText = value;
  return lastParsed;
}

function rescale(decimal: Decimal, scale: number): bigint {
  return decimal.units * 10n ** BigInt(scale - decimal.scale);
}

/** Compares two decimal amounts exactly, whatever their number of decimals ("100" equals "100.00"). */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  // The common case, a provider echoing the stored amount: one parse checks both.
  if (a === b) {
    parseDecimal(a);
    return 0;
  }
  const left = parseDecimal(a);
  const right = parseDecimal(b);
  const scale = Math.max(left.scale, right.scale);
  const x = rescale(left, scale);
  const y = rescale(right, scale);
  return x === y ? 0 : x < y ? -1 : 1;
}

function formatUnits(units: bigint, scale: number): string {
  const digits = units.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * The shortest decimal text that reads back as exactly this number, as JavaScript prints
 * it but never in exponent form (`10.5` → "10.5", `1e-7` → "0.0000001", `1e21` →
 * "1000000000000000000000"). For finite, non-negative numbers.
 */
export function shortestDecimal(value: number): string {
  const text = String(value);
  const match = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const digits = match[1]! + (match[2] ?? '');
  const point = match[1]!.length + Number(match[3]);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A JS number as an amount text, when it stands for one exact amount: an integer is that
 * many whole units (`499` → "499"); a fraction is taken when its shortest decimal form
 * has no more decimals than the currency (`10.5` → "10.5" for USD). Anything else
 * (`0.1 + 0.2` is 0.30000000000000004) is no exact amount and is refused, showing the
 * value and the fix.
 */
function numberAmount(value: number, code: string, scale: number): string {
  if (Number.isNaN(value) || !Number.isFinite(value)) {
    throw new PaymentsError('invalid_amount', `Amount ${String(value)} is not a number of ${code}.`);
  }
  if (value <= 0) throw new PaymentsError('invalid_amount', 'Amount must be greater than zero.');
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new PaymentsError(
      'invalid_amount',
      `Amount ${shortestDecimal(value)} is too large to be exact as a JS number; give it as a decimal string.`,
    );
  }
  const text = shortestDecimal(value);
  const decimals = text.split('.')[1]?.length ?? 0;
  if (decimals > scale) {
    throw new PaymentsError(
      'invalid_amount',
      `Amount ${text} (a JS number) has ${decimals} decimals but ${code} has ${scale}, so it is not an exact amount. ` +
        `Give a decimal string in ${code}'s precision (such as "${value.toFixed(scale)}", if that is the price) or integer minor units (amountMinor).`,
    );
  }
  return text;
}

/**
 * The canonical amount string of a currency: exactly its number of decimals
 * ("10" USD → "10.00"). Takes a decimal string, or a JS number that is one exact amount
 * (an integer is whole units, `499` → "499.00"; a fraction whose shortest decimal form
 * fits the currency, `10.5` → "10.50"). Rejects zero, over-precise ("10.001" USD,
 * `0.30000000000000004`), negative and absurd values with `invalid_amount`.
 */
export function formatAmount(
  value: unknown,
  currency: string,
  extra: CurrencyScales = NO_EXTRA_SCALES,
): string {
  const scale = currencyScale(currency, extra);
  const text = typeof value === 'number' ? numberAmount(value, normalizeCurrency(currency), scale) : value;
  const decimal = parseDecimal(text);
  let units = decimal.units;
  if (decimal.scale > scale) {
    const divisor = 10n ** BigInt(decimal.scale - scale);
    if (units % divisor !== 0n) {
      throw new PaymentsError(
        'invalid_amount',
        `Amount "${String(value).slice(0, 40)}" has more decimals than ${normalizeCurrency(currency)} allows (${scale}).`,
      );
    }
    units /= divisor;
  } else {
    units *= 10n ** BigInt(scale - decimal.scale);
  }
  if (units === 0n) {
    throw new PaymentsError('invalid_amount', 'Amount must be greater than zero.');
  }
  return formatUnits(units, scale);
}

/** Integer minor units (cents) of a canonical or plain decimal amount. */
export function toMinorUnits(
  amount: string,
  currency: string,
  extra: CurrencyScales = NO_EXTRA_SCALES,
): bigint {
  return parseDecimal(formatAmount(amount, currency, extra)).units;
}

/** The canonical amount string for integer minor units (1050 USD cents → "10.50"). */
export function fromMinorUnits(
  minor: bigint | number,
  currency: string,
  extra: CurrencyScales = NO_EXTRA_SCALES,
): string {
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) {
    throw new PaymentsError(
      'invalid_amount',
      'Minor units must be a safe integer (cents), never a fraction.',
    );
  }
  const units = BigInt(minor);
  if (units <= 0n) {
    throw new PaymentsError('invalid_amount', 'Amount must be greater than zero.');
  }
  return formatAmount(formatUnits(units, currencyScale(currency, extra)), currency, extra);
}

/**
 * Reads an amount that a provider sent: a decimal string, or a JSON number
 * (which JSON parsing already turned into a double; its shortest round-trip
 * text is what the provider wrote). Returns null for anything else.
 */
export function decimalFromProvider(value: unknown): string | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    text = shortestDecimal(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  if (text.startsWith('.')) text = `0${text}`;
  try {
    parseDecimal(text);
    return text;
  } catch {
    return null;
  }
}

/** The exact sum of decimal amounts, with as many decimals as the most precise of them ("0" for none). */
export function sumAmounts(amounts: readonly string[]): string {
  const decimals = amounts.map(parseDecimal);
  const scale = Math.max(0, ...decimals.map((d) => d.scale));
  return formatUnits(
    decimals.reduce((total, d) => total + rescale(d, scale), 0n),
    scale,
  );
}

/** `a − b` exactly, never below zero (what remains of `a` once `b` is taken). */
export function remainingAmount(a: string, b: string): string {
  const left = parseDecimal(a);
  const right = parseDecimal(b);
  const scale = Math.max(left.scale, right.scale);
  const rest = rescale(left, scale) - rescale(right, scale);
  return formatUnits(rest > 0n ? rest : 0n, scale);
}
