// Prints the gzipped JS+CSS each page loads first, from Vite's build manifest,
// and fails when the admin console's first load exceeds the budget.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const OUT_DIR = fileURLToPath(new URL("../../src/golive/static/app/", import.meta.url));
const ADMIN_BUDGET_KB = 300;

const manifest = JSON.parse(readFileSync(join(OUT_DIR, ".vite", "manifest.json"), "utf8"));

function findKey(suffix) {
  const key = Object.keys(manifest).find((k) => k === suffix || k.endsWith(`/${suffix}`));
  if (!key) throw new Error(`report-size: ${suffix} is not in the build manifest`);
  return key;
}

/** Files a chunk needs before it runs: itself, its CSS and its static imports, recursively. */
function staticClosure(keys, files = new Set(), seen = new Set()) {
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    const chunk = manifest[key];
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    staticClosure(chunk.imports ?? [], files, seen);
  }
  return { files, seen };
}

const gzipCache = new Map();
function gzipSize(file) {
  if (!gzipCache.has(file)) gzipCache.set(file, gzipSync(readFileSync(join(OUT_DIR, file)), { level: 9 }).length);
  return gzipCache.get(file);
}

function measure(keys) {
  const { files, seen } = staticClosure(keys);
  let js = 0;
  let css = 0;
  for (const file of files) {
    if (file.endsWith(".css")) css += gzipSize(file);
    else if (file.endsWith(".js")) js += gzipSize(file);
  }
  return { js, css, total: js + css, modules: seen };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
function report(label, keys) {
  const m = measure(keys);
  console.log(`first-load ${label.padEnd(30)} ${kb(m.total).padStart(9)} gzip (js ${kb(m.js)}, css ${kb(m.css)})`);
  return m;
}

const shell = findKey("index.html");
const adminApp = findKey("src/admin/AdminApp.tsx");
const eventsList = findKey("src/admin/events/EventsListPage.tsx");
const landing = findKey("src/viewer/EventLandingPage.tsx");
const embed = findKey("src/viewer/EmbedPage.tsx");
const player = findKey("src/viewer/player/VideoPlayer.tsx");
const hls = Object.keys(manifest).find((k) => k.includes("node_modules/hls.js/"));

report("index.html (shell)", [shell]);
const admin = report("admin console /admin/events", [shell, adminApp, eventsList]);
report("viewer /e/:eventId", [shell, landing]);
report("embed /embed/:eventId", [shell, embed]);
report("player (+ hls.js, on demand)", [shell, landing, player, ...(hls ? [hls] : [])]);

let failed = false;
if (admin.total > ADMIN_BUDGET_KB * 1024) {
  console.error(`report-size: the admin console's first load is ${kb(admin.total)}, over the ${ADMIN_BUDGET_KB} kB budget`);
  failed = true;
}
if (hls && admin.modules.has(hls)) {
  console.error("report-size: hls.js is in the admin console's first load; it must only load with the player");
  failed = true;
}
process.exit(failed ? 1 : 0);
