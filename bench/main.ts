/**
 * `npm run bench -- <name> [options]`: timing targets live here, not in tests. Each benchmark
 * prints its figures and, where it has a reference, the ratio measured side by side in one run.
 */
export {};

const benches: Record<string, () => Promise<{ main(args: string[]): Promise<void> }>> = {
  train: () => import("./train"),
  bundle: () => import("./bundle"),
  queue: () => import("./queue"),
  browser: () => import("./browser"),
  leaderboard: () => import("./leaderboard"),
  web: () => import("./web"),
  validate: () => import("./validate"),
};

const [bench, ...args] = process.argv.slice(2);
const load = bench ? benches[bench] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [options]\n`);
  process.exit(2);
}
await (await load()).main(args);
