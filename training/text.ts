/**
 * Free text from users (titles, descriptions, names, searches, labels): one zod helper so every
 * schema rejects the same characters with the same field-named message. Control characters
 * (C0 including NUL, DEL, C1) have no place in display text; Postgres refuses NUL outright, so
 * letting one through turns bad input into a server error. Multi-line text keeps tab and newlines.
 */
import { z } from "zod";

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_EXCEPT_LAYOUT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** The first control character in `text` that a field of this kind does not allow, as "U+0000", or null. */
export function controlCharacterIn(text: string, multiline = false): string | null {
  const found = (multiline ? CONTROL_EXCEPT_LAYOUT : CONTROL).exec(text);
  return found ? `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : null;
}

export interface TextOptions {
  /** Most characters kept after trimming. */
  max: number;
  /** At least one character after trimming ("is required" otherwise). */
  required?: boolean;
  /** Allows tab, LF and CR (descriptions). */
  multiline?: boolean;
}

/** A trimmed string with a length limit and no control characters. */
export function textField({ max, required = false, multiline = false }: TextOptions) {
  const base = z
    .string()
    .superRefine((text, ctx) => {
      const control = controlCharacterIn(text, multiline);
      if (control) ctx.addIssue({ code: "custom", message: `must not contain control characters (found ${control})` });
    })
    .trim();
  const sized = base.max(max, `must be at most ${max} characters`);
  return required ? sized.min(1, "is required") : sized;
}
