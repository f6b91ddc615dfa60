// Validates an OpenAPI document (a JSON file named on the command line) against the official
// OpenAPI 3 JSON schema with @seriousme/openapi-schema-validator, which is an ES module that
// Jest's CommonJS runtime cannot load; tests run this file with node and read the JSON it prints.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: node validate-openapi.mjs <openapi.json>\n');
  process.exit(2);
}
const validator = new Validator();
const result = await validator.validate(JSON.parse(readFileSync(file, 'utf8')));
process.stdout.write(`${JSON.stringify({ version: validator.version, ...result })}\n`);
