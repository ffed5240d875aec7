// Validates the OpenAPI document the server serves (GET /openapi.json) with
// @apidevtools/swagger-parser: the schema of OpenAPI 3.1 and every $ref.
// Usage: node validate.cjs BASE_URL NODE_MODULES_DIR
"use strict";
const path = require("path");

const [baseUrl, nodeModules] = process.argv.slice(2);
const SwaggerParser = require(path.join(nodeModules, "@apidevtools", "swagger-parser"));

async function main() {
  const response = await fetch(baseUrl + "/openapi.json");
  if (!response.ok) throw new Error("GET /openapi.json answered " + response.status);
  const document = await response.json();
  const api = await SwaggerParser.validate(document);
  console.log("openapi.json is valid OpenAPI " + api.openapi + ": " + Object.keys(api.paths).length + " paths");
}

main().catch((error) => {
  console.error("FAIL: " + error.message);
  process.exit(1);
});
