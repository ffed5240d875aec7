"""Checks the JSON answers an end-to-end test received against the OpenAPI
document (JSON Schema 2020-12): each line of ANSWERS is method, path, status
and the file holding the body, separated by tabs. An answer whose status the operation documents must match
that response's schema; an error answer it does not document must still be
the API's error object; a success it does not document is a finding.
Usage: openapi_answers.py OPENAPI_JSON ANSWERS_TSV (exit 1 on findings)."""
import json
import re
import sys

import jsonschema

doc = json.load(open(sys.argv[1]))
operations = []  # (method, compiled path template, operation)
for template, item in doc["paths"].items():
    pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
    if template.startswith("/stores/{id}"):  # store ids may hold '/'
        pattern = pattern.replace("[^/]+", ".+", 1)
    for method, operation in item.items():
        if method in ("get", "post", "delete"):
            operations.append((method.upper(), re.compile(pattern), operation))
# The most specific template first: /stores/{id}/days before /stores/{id}
# (a store id may hold '/', so both match).
operations.sort(key=lambda entry: -len(entry[1].pattern))


def schema_of(response):
    if "$ref" in response:
        response = doc["components"]["responses"][response["$ref"].split("/")[-1]]
    content = response.get("content", {}).get("application/json")
    return content.get("schema") if content else None


def check(schema, body):
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": doc["components"], "allOf": [schema]}
    validator = jsonschema.Draft202012Validator(root)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}" for e in errors[:3]]


findings = []
error_schema = {"$ref": "#/components/schemas/Error"}
for line in open(sys.argv[2]):
    method, raw_path, status, file = line.rstrip("\n").split("\t")
    path = raw_path.split("?")[0]
    path = re.sub(r"^/api/v1(?=/|$)", "", path) or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    try:
        body = json.load(open(file))
    except (OSError, ValueError):
        continue  # not JSON after all (a CSV under a JSON type would fail elsewhere)
    lookup = "GET" if method == "HEAD" else method
    operation = next((op for m, p, op in operations if m == lookup and p.match(path)), None)
    where = f"{method} {raw_path} {status}"
    response = operation and operation["responses"].get(status)
    if response is None:
        if int(status) >= 400:
            problems = check(error_schema, body)
        elif operation is None:
            problems = ["no such operation in the document"]
        else:
            problems = [f"status {status} is not documented"]
    else:
        schema = schema_of(response)
        problems = check(schema, body) if schema else []
    for problem in problems:
        findings.append(f"{where}: {problem}")

for finding in findings:
    print("openapi:", finding, file=sys.stderr)
sys.exit(1 if findings else 0)
