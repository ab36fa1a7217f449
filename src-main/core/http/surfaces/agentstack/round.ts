/**
 * Python's `round(x, digits)` for floats: the exact binary value rounded to `digits` decimals, an exact tie to the even
 * digit. `Number.prototype.toFixed` is exact too but breaks ties away from zero (0.625 → 0.63, Python 0.62).
 */
export function roundLikePython(value: number, digits: number): number {
  const rounded = Number(value.toFixed(digits));
  if (!Number.isFinite(value)) return value;
  // Only a value within a hair of a half can be an exact tie; the exact check below is slow, so it runs only then.
  const scaled = Math.abs(value) * 10 ** digits;
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-6) return rounded;
  // The exact decimal expansion of the double (100 digits hold every fraction digit of values from 2^-47 up).
  const [whole = '', fraction = ''] = value.toFixed(100).split('.');
  if (!/^50*$/.test(fraction.slice(digits))) return rounded;
  const kept = fraction.slice(0, digits);
  const lastDigit = Number((kept || whole).slice(-1));
  return lastDigit % 2 === 0 ? Number(`${whole}.${kept}`) : rounded;
}
