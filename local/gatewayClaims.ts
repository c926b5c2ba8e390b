/** Claims as API Gateway REST hands them to Lambda: every value a string, exp and iat as dates. */

/** API Gateway's date format for exp and iat, e.g. "Fri Nov 27 15:00:00 UTC 2026". */
function gatewayDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const day = d.toLocaleString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export function claimsAsGatewaySends(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]): [string, string] => {
      if ((name === 'exp' || name === 'iat') && typeof value === 'number') return [name, gatewayDate(value)];
      if (typeof value === 'string') return [name, value];
      if (Array.isArray(value)) return [name, `[${value.join(' ')}]`];
      if (typeof value === 'object' && value !== null) return [name, JSON.stringify(value)];
      return [name, String(value)];
    }),
  );
}
