/** A module for tests/unit/stackTraces.test.ts, bundled as the functions are: its error is thrown on a known line. */
export const THROWING_LINE = 5;
export function failWithContext(detail: string): never {
  const message = `failed: ${detail}`;
  throw new Error(message);
}
