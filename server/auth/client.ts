/**
 * The browser's better-auth client. The vanilla client (not the React one): pages read the
 * session on the server, so no session hooks are needed and the bundle stays small.
 */
import { createAuthClient } from "better-auth/client";

export const authClient = createAuthClient();
