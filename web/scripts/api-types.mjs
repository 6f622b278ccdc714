// Writes src/api/schema.d.ts, the API's types, from the server's OpenAPI document as `golive openapi` prints it
// (no server, no network, the default settings: the same bytes on every machine).
// With --check it writes nothing and fails when the committed file is not what the server declares now.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { COMMENT_HEADER, astToString } from "openapi-typescript";

const SCHEMA_FILE = fileURLToPath(new URL("../src/api/schema.d.ts", import.meta.url));
const GOLIVE = process.env.GOLIVE_BIN ?? fileURLToPath(new URL("../../.venv/bin/golive", import.meta.url));
const check = process.argv.includes("--check");

function openapiDocument() {
  const run = spawnSync(GOLIVE, ["openapi"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error || run.status !== 0) {
    console.error(run.stderr || String(run.error));
    console.error(`api-types: \`${GOLIVE} openapi\` failed (run \`make install\` first, or set GOLIVE_BIN)`);
    process.exit(2);
  }
  return JSON.parse(run.stdout);
}

// The time zone list is the machine's tz database (zoneinfo): in the types a time zone is a string, so the file
// is the same on every machine. The server still checks the name.
function withoutMachineLists(node) {
  if (Array.isArray(node)) return node.map(withoutMachineLists);
  if (!node || typeof node !== "object") return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withoutMachineLists(value)]));
  if (copy.description === "An IANA time zone" && Array.isArray(copy.enum)) delete copy.enum;
  return copy;
}

// defaultNonNullable off: a request field with a default stays optional to send. Answers lose nothing, the
// server lists every field it always sends as required.
const ast = await openapiTS(withoutMachineLists(openapiDocument()), { defaultNonNullable: false, silent: true });
const header = `${COMMENT_HEADER.trimEnd()}\n// Regenerate with \`make api-types\` (web/scripts/api-types.mjs); \`make lint\` fails while it is stale.\n\n`;
const generated = header + astToString(ast);

if (!check) {
  writeFileSync(SCHEMA_FILE, generated);
  console.log(`api-types: wrote ${SCHEMA_FILE}`);
  process.exit(0);
}

let committed = "";
try {
  committed = readFileSync(SCHEMA_FILE, "utf8");
} catch {
  committed = "";
}
if (committed === generated) {
  console.log("api-types: web/src/api/schema.d.ts matches the server's OpenAPI document");
  process.exit(0);
}
const folder = mkdtempSync(join(tmpdir(), "golive-api-types-"));
try {
  const fresh = join(folder, "schema.d.ts");
  writeFileSync(fresh, generated);
  const diff = spawnSync("diff", ["-u", "--label", "web/src/api/schema.d.ts (committed)", "--label", "server's OpenAPI document (now)", SCHEMA_FILE, fresh], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = (diff.stdout || "").split("\n");
  console.error(lines.slice(0, 60).join("\n") + (lines.length > 60 ? `\n... (${lines.length - 60} more lines)` : ""));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
console.error(
  "\napi-types: web/src/api/schema.d.ts differs from what the server declares now (the API changed).\n" +
    "Run `make api-types`, fix what `npm run typecheck` then reports, and commit the file.",
);
process.exit(1);
