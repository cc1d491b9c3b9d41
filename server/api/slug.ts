/**
 * Share slugs: 10 random base-62 characters (~59 bits), so an unlisted comparison cannot be
 * found by guessing its link.
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const SLUG_LENGTH = 10;

export function newSlug(): string {
  // 62 × 4 = 248: rejecting bytes ≥ 248 keeps every character equally likely.
  let out = "";
  while (out.length < SLUG_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < 248 && out.length < SLUG_LENGTH) out += ALPHABET[byte % 62]!;
    }
  }
  return out;
}
