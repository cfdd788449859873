// Number options (--baud, --timeout, --count, ...): one check and one message for all of them.
import { usageError } from "./errors.ts";

export interface Bounds {
  /** Smallest value allowed. */
  min?: number;
  /** Largest value allowed. */
  max?: number;
  /** Only values above 0: "a positive number". */
  positive?: boolean;
  /** What the number counts, for the message ("seconds", "bytes"). */
  unit?: string;
}

/** "a positive whole number of bytes", "a number from 0 to 3600000", ... */
function wanted(whole: boolean, b: Bounds): string {
  const range =
    b.min !== undefined && b.max !== undefined
      ? ` from ${b.min} to ${b.max}`
      : b.min !== undefined
        ? ` of at least ${b.min}`
        : b.max !== undefined
          ? ` up to ${b.max}`
          : "";
  return `a ${b.positive ? "positive " : ""}${whole ? "whole number" : "number"}${b.unit ? ` of ${b.unit}` : ""}${range}`;
}

function parse(name: string, value: string | undefined, b: Bounds, whole: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const fits = value.trim() !== "" && Number.isFinite(n) && (!whole || Number.isInteger(n));
  if (!fits || (b.positive && n <= 0) || (b.min !== undefined && n < b.min) || (b.max !== undefined && n > b.max)) {
    usageError(`--${name} must be ${wanted(whole, b)}, got "${value}"`);
  }
  return n;
}

/** `--name value` as a whole number within `bounds`; undefined when the option was not given. Else exit 2. */
export function wholeNumber(name: string, value: string | undefined, bounds: Bounds): number | undefined {
  return parse(name, value, bounds, true);
}

/** `--name value` as a finite number within `bounds`; undefined when the option was not given. Else exit 2. */
export function number(name: string, value: string | undefined, bounds: Bounds): number | undefined {
  return parse(name, value, bounds, false);
}
