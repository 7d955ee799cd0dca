/** The original client in an `X-Forwarded-For` list: its first entry. */
export function forwardedFor(header: string | null | undefined): string | null {
  const first = header?.split(',')[0]?.trim();
  return first ? first : null;
}
