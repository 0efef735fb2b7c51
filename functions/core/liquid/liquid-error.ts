/** A template that cannot be parsed or rendered: the message names what and where, never the data. */
export class LiquidError extends Error {
  override name = 'LiquidError';
}
