/**
 * The web app's HTTP server: Next's production server (`next build` output in .next) behind a
 * plain Node listener that first rewrites forwarding headers from the socket (./forwarded.ts), so
 * nothing downstream can be told a client-chosen address. Used by `npm start`, `npm run
 * start:web` and the end-to-end tests instead of `next start`.
 *
 *   tsx server/http/main.ts [--port N] [--hostname H]     (PORT, default 3000; all interfaces)
 */
import http from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { env } from "../../env";
import { BufferedEndResponse } from "./bufferedEnd";
import { normaliseForwarding, parseTrustedProxies } from "./forwarded";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  const hostname = values.hostname;
  const trusted = parseTrustedProxies(env.LRLAB_TRUSTED_PROXIES);
  // Where the page sync timer (instrumentation.ts) reaches this server, as for the standalone server.
  process.env.PORT = String(port);
  if (hostname) process.env.HOSTNAME = hostname;
  const app = next({ dev: false, dir: process.cwd(), port, ...(hostname ? { hostname } : {}) });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer({ ServerResponse: BufferedEndResponse }, (req, res) => {
    normaliseForwarding(req.headers, req.socket, trusted);
    handle(req, res).catch((error: unknown) => {
      console.error("request failed:", error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.listen(port, hostname, () => {
    console.log(
      `Ready: web app listening on http://${hostname ?? "localhost"}:${port}${trusted ? " (trusting forwarding headers from LRLAB_TRUSTED_PROXIES)" : ""}`,
    );
  });
  const stop = () => {
    server.close();
    void app.close().finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(`web app failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
