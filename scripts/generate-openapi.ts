/**
 * Writes openapi/openapi.json from the controllers' decorators, without listening: the app is
 * assembled by the same factory as the server (memory storage, quiet logs), the document built,
 * and the app closed. `npm run openapi`; a test fails when the committed file differs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/config-loader';
import { buildOpenApiDocument } from '../src/http/openapi-document';

export const OPENAPI_FILE = path.resolve(__dirname, '..', 'openapi', 'openapi.json');

async function main(): Promise<void> {
  const { config } = loadConfig({
    env: { GOVC_STORAGE_DRIVER: 'memory', GOVC_LOGGING_LEVEL: 'error' },
    argv: [],
  });
  const app = await createApp(config);
  const document = buildOpenApiDocument(app);
  await app.close();
  mkdirSync(path.dirname(OPENAPI_FILE), { recursive: true });
  writeFileSync(OPENAPI_FILE, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(
    `wrote ${path.relative(process.cwd(), OPENAPI_FILE)} (${Object.keys(document.paths).length} paths)\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `openapi generation failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
