/**
 * `npm run bench -- <name> [options]`: timing targets live here, not in tests. Each benchmark
 * prints its figures and, where it has a reference, the ratio measured side by side in one run.
 */
const benches: Record<string, () => Promise<{ main(args: string[]): Promise<void> }>> = {
  train: () => import("./train"),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? benches[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [options]\n`);
  process.exit(2);
}
await (await load()).main(args);
