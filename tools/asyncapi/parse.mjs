// Parses each AsyncAPI document named on the command line with the official parser and prints,
// as one JSON line per document, its diagnostics; exits 1 if any document has an error.
import { readFile } from "node:fs/promises";
import { Parser, DiagnosticSeverity } from "@asyncapi/parser";

const parser = new Parser();
let failed = false;
for (const path of process.argv.slice(2)) {
  const { document, diagnostics } = await parser.parse(await readFile(path, "utf8"), { source: path });
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
  failed ||= document === undefined || errors.length > 0;
  console.log(JSON.stringify({
    path,
    parsed: document !== undefined,
    diagnostics: diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, path: d.path.join("/") })),
  }));
}
process.exit(failed ? 1 : 0);
