import { parseArgs } from "node:util";
import { ValidationError, formatIssue } from "../errors";
import { UsageError, type CliCommand } from "./command";

/**
 * Runs `argv` against a table of lazily loaded commands (so `schedule` never loads tfjs or pg).
 * Bad input exits 2 with one line per problem on stderr; anything else unexpected exits 1.
 */
export async function runCli(argv: string[], commands: Record<string, () => Promise<CliCommand>>): Promise<number> {
  const names = Object.keys(commands);
  // Two-word commands ("data prepare") take precedence over one-word ones.
  const key = names.find((n) => n.split(" ").every((w, i) => argv[i] === w) && n.includes(" ")) ?? names.find((n) => argv[0] === n);
  if (!key || argv[0] === "help" || argv[0] === "--help") {
    const loaded = await Promise.all(names.map(async (n) => commands[n]!()));
    const out = ["usage: lrlab <command> [options]", "", ...loaded.map((c) => `  ${c.usage}\n      ${c.summary}`)].join("\n");
    if (!key && argv[0] && argv[0] !== "help" && argv[0] !== "--help") {
      process.stderr.write(`unknown command '${argv[0]}'\n\n${out}\n`);
      return 2;
    }
    process.stdout.write(out + "\n");
    return argv.length === 0 ? 2 : 0;
  }
  const command = await commands[key]!();
  const rest = argv.slice(key.split(" ").length);
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: command.options,
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    return await command.run(values, positionals);
  } catch (error) {
    if (error instanceof ValidationError) {
      for (const issue of error.issues) process.stderr.write(formatIssue(issue) + "\n");
      return 2;
    }
    if (error instanceof UsageError || isParseArgsError(error)) {
      process.stderr.write(`${(error as Error).message}\nusage: lrlab ${command.usage}\n`);
      return 2;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}
