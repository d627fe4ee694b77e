// Generates TypeScript models with Modelina from an AsyncAPI document, one file per model,
// into a folder: `node models.mjs <document> <out dir>`. tsc then compiles them.
import { readFile } from "node:fs/promises";
import { Parser } from "@asyncapi/parser";
import { TypeScriptFileGenerator } from "@asyncapi/modelina";

const [path, out] = process.argv.slice(2);
const { document, diagnostics } = await new Parser().parse(await readFile(path, "utf8"), { source: path });
if (document === undefined) {
  console.error(JSON.stringify(diagnostics, null, 1));
  process.exit(1);
}
// rawPropertyNames: the wire names (acknowledge_by, type), not camelCase ones that would not match the JSON.
const generator = new TypeScriptFileGenerator({ modelType: "interface", enumType: "union", rawPropertyNames: true });
const models = await generator.generateToFiles(document, out, { exportType: "named" }, true);
console.log(models.map((model) => model.modelName).join("\n"));
