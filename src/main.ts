/**
 * Server entry point: load and validate the configuration (one line and exit 1 on any problem,
 * before anything listens), build the app, install graceful shutdown, listen.
 */
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { BUILD_INFO } from './build-info';
import { ConfigError } from './config/config-error';
import { type LoadedConfig, loadConfig } from './config/config-loader';
import { installGracefulShutdown } from './graceful-shutdown';

function loadConfigOrExit(): LoadedConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const { config, warnings } = loadConfigOrExit();
  const app = await createApp(config);
  const logger = new Logger('Main');
  for (const warning of warnings) logger.warn(warning);
  // Said loudly because it is the opposite of the contract's default (api-contract.md §0.3).
  if (!config.auth.enabled) {
    logger.warn(
      'auth.enabled is false: every route is open to anyone who can reach this port and ' +
        'credentials are ignored; bind server.host to 127.0.0.1 or keep the server on a trusted network',
    );
  }

  // A stray rejection is logged, never fatal: no input may end the process.
  process.on('unhandledRejection', (reason) => {
    logger.error(
      `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
  });

  installGracefulShutdown(app, config);
  await app.listen(config.server.port, config.server.host);
  logger.log(
    `govc-ts ${BUILD_INFO.version} listening on http://${config.server.host}:${config.server.port} ` +
      `(storage: ${config.storage.driver})`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `startup failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
