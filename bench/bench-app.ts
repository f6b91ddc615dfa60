/**
 * The real application as the benchmarks run it: built by the server's own createApp, on
 * memory storage with auth off and logs written to /dev/null unless `env` says otherwise
 * (config overrides by env name, as the server reads them).
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/config-loader';

export async function createBenchApp(
  env: Readonly<Record<string, string>> = {},
): Promise<NestExpressApplication> {
  const { config } = loadConfig({
    env: {
      GOVC_STORAGE_DRIVER: 'memory',
      GOVC_AUTH_ENABLED: 'false',
      GOVC_LOGGING_LEVEL: 'error',
      GOVC_LOGGING_OUTPUT: '/dev/null',
      ...env,
    },
    argv: [],
  });
  return createApp(config);
}
