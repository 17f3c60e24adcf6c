/** The stable error code in a callback reply: Aurpay's JSON `error`, AAIO's `code: message` text. */
export function replyCode(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.error === 'object' && parsed.error !== null) {
      const code = (parsed.error as { code?: unknown }).code;
      return typeof code === 'string' ? code : null;
    }
    return null;
  } catch {
    return /^([a-z_]+):/.exec(text)?.[1] ?? null;
  }
}
