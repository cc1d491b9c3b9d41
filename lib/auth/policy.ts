/** Account rules shared by better-auth's config and the sign-up form (no server code here: the form imports it). */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;
/** A display name's most characters, after trimming; the server enforces what the form says. */
export const MAX_NAME_LENGTH = 80;
