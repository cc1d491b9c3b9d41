/**
 * Runs in the browser before the app's own code (Next's client instrumentation hook). zod probes
 * `new Function` once, when its first object schema is built, to decide whether to compile fast
 * parsers; the CSP (server/http/headers.ts) has no 'unsafe-eval', so the browser refuses the probe
 * and reports a violation. Telling zod up front not to compile skips the probe.
 */
import { config } from "zod/v4/core";

config({ jitless: true });
