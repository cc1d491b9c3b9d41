#!/usr/bin/env bash
# The committed migrations are consistent (drizzle-kit check) and up to date: generating from
# db/schema.ts into a copy of them adds nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx drizzle-kit check --dialect postgresql --out db/migrations >/dev/null
# drizzle-kit reads --out relative to the working directory, so the copy lives inside the repo.
mkdir -p node_modules/.cache
tmp=$(mktemp -d -p node_modules/.cache migrations-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp -r db/migrations "$tmp/migrations"
out=$(npx drizzle-kit generate --dialect postgresql --schema ./db/schema.ts --out "$tmp/migrations" --name drift 2>&1) || { echo "$out" >&2; exit 1; }
if ! grep -q "No schema changes" <<<"$out"; then
  echo "db/schema.ts and db/migrations disagree: run 'npm run db:generate' and commit the migration." >&2
  echo "$out" >&2
  exit 1
fi
if ! diff -rq db/migrations "$tmp/migrations" >/dev/null; then
  echo "db/schema.ts and db/migrations disagree: run 'npm run db:generate' and commit the migration." >&2
  diff -rq db/migrations "$tmp/migrations" >&2 || true
  exit 1
fi
echo "migrations: consistent and up to date with db/schema.ts"
