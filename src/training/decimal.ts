// Strict reading of the numbers people type: manifest labels and command-line flags. Number()
// also takes "0x1", "0b1", "0o7" and "Infinity", and reads a blank as 0, none of
// which anyone means as a valence or a learning rate; plain decimal notation only.

/** Optional sign, digits with an optional point (or a point and digits), optional exponent. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number `text` writes in decimal notation (spaces around it allowed); NaN when it is not one. */
export function parseDecimal(text: string): number {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : NaN;
}
