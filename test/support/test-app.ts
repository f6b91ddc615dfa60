/**
 * Starts the real AppModule for e2e tests through the same configureApp as the server, with
 * config/test.yaml (memory storage, quiet logs) plus the env overrides a test gives. The process
 * environment is not read, so the machine's GOVC_* variables cannot change a test.
 */
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { appOptions, configureApp } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { type Environment, loadConfig } from '../../src/config/config-loader';

export const TEST_CONFIG_FILE = path.resolve(__dirname, '..', '..', 'config', 'test.yaml');

export async function startTestApp(env: Environment = {}): Promise<NestExpressApplication> {
  const { config } = loadConfig({ env, argv: ['--config', TEST_CONFIG_FILE] });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(appOptions());
  configureApp(app, config);
  await app.init();
  return app;
}
