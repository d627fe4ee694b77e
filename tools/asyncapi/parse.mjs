// Parses each AsyncAPI document named on the command line with the official parser and prints,
// as one JSON line per document, its diagnostics; exits 1 if any document has an error or a warning
// (the information that a later AsyncAPI version exists is neither).
import { readFile } from "node:fs/promises";
import { Parser, DiagnosticSeverity } from "@asyncapi/parser";

const parser = new Parser();
let failed = false;
for (const path of process.argv.slice(2)) {
  const { document, diagnostics } = await parser.parse(await readFile(path, "utf8"), { source: path });
  const faults = diagnostics.filter((d) => [DiagnosticSeverity.Error, DiagnosticSeverity.Warning].includes(d.severity));
  failed ||= document === undefined || faults.length > 0;
  console.log(JSON.stringify({
    path,
    parsed: document !== undefined,
    diagnostics: diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, path: d.path.join("/") })),
  }));
}
process.exit(failed ? 1 : 0);
