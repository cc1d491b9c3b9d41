/**
 * Account names checked on the server, through every door that writes one (email sign-up,
 * update-user, OAuth sign-in): the form's limit and no control characters, as a 400 naming `name`.
 */
import { APIError } from "better-auth/api";
import { textField } from "../../training/text";
import { MAX_NAME_LENGTH } from "../../lib/auth/policy";

const nameSchema = textField({ max: MAX_NAME_LENGTH, required: true });

/** The trimmed name, or an APIError (400) saying what is wrong with it. */
export function checkedName(name: unknown): string {
  const result = nameSchema.safeParse(name);
  if (result.success) return result.data;
  throw new APIError("BAD_REQUEST", { message: `name: ${result.error.issues[0]?.message ?? "is invalid"}` });
}
