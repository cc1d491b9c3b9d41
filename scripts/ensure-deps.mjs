// Runs before `npm start` and `npm test`: installs the locked dependencies when node_modules is
// missing or older than package-lock.json, and (with --browser, for the end-to-end tests) Debian's
// Chromium when it is missing, so a fresh clone needs no separate install step.
// Plain JavaScript: it must run before tsx and the rest of node_modules exist.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const marker = "node_modules/.package-lock.json";
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync("package-lock.json").mtimeMs) {
  console.error("Installing dependencies (npm ci)…");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}

const CHROMIUM = "/usr/bin/chromium";
if (process.argv.includes("--browser") && !existsSync(CHROMIUM)) {
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.error("Installing Debian's chromium for the end-to-end tests (apt-get)…");
    run("apt-get", ["update", "-qq"]);
    run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"]);
  } else {
    console.error(`The end-to-end tests need Chromium at ${CHROMIUM}: install it (Debian: apt-get install chromium).`);
    process.exit(1);
  }
}
