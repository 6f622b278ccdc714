// Copies Swagger UI and ReDoc (pinned devDependencies) into the build, so /docs and /redoc work offline:
// the server's pages load them from /static/app/api-docs/ instead of a CDN.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT_DIR = fileURLToPath(new URL("../../src/golive/static/app/api-docs/", import.meta.url));
const require = createRequire(import.meta.url);

const FILES = {
  "swagger-ui": ["swagger-ui-dist", ["swagger-ui-bundle.js", "swagger-ui-bundle.js.LICENSE.txt", "swagger-ui.css", "LICENSE"]],
  redoc: ["redoc", ["bundles/redoc.standalone.js", "bundles/redoc.standalone.js.LICENSE.txt", "LICENSE"]],
};

for (const [folder, [pkg, files]] of Object.entries(FILES)) {
  const root = dirname(require.resolve(`${pkg}/package.json`));
  mkdirSync(join(OUT_DIR, folder), { recursive: true });
  for (const file of files) copyFileSync(join(root, file), join(OUT_DIR, folder, file.split("/").pop()));
}
console.log(`API docs assets copied into ${OUT_DIR}`);
