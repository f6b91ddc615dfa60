/**
 * SIGTERM/SIGINT, in this order: report not ready; stop accepting connections and let in-flight
 * requests finish (responses ask clients to close, idle keep-alive connections are closed); then
 * close the application, whose shutdown hooks flush storage; exit 0. Nest's own close() would run
 * the modules' destroy hooks before the HTTP server stops, under requests still being served,
 * hence the explicit drain first. Past server.shutdown_timeout the process exits 1 instead.
 */
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { RequestHandler } from 'express';
import type { GovcConfig } from './config/config.schema';
import { formatDuration } from './config/duration';
import { LogSink } from './logging/log-sink';
import { ReadinessService } from './modules/health/readiness.service';

const IDLE_SWEEP_MS = 100;

/** Asks clients to drop their keep-alive connection once shutdown has begun. */
export function closeConnectionsWhenDraining(readiness: ReadinessService): RequestHandler {
  return (_request, response, next) => {
    if (readiness.isShuttingDown) response.setHeader('Connection', 'close');
    next();
  };
}

/** Stops accepting connections; resolves once every open connection has ended. */
function drainHttpServer(app: NestExpressApplication): Promise<void> {
  const server = app.getHttpServer();
  // Connections that were busy when close() began become idle later; close those too.
  const sweeper = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  return new Promise<void>((resolve) => {
    server.close(() => {
      clearInterval(sweeper);
      resolve();
    });
  });
}

export function installGracefulShutdown(app: NestExpressApplication, config: GovcConfig): void {
  const logger = new Logger('Shutdown');
  const sink = app.get(LogSink);
  const limit = formatDuration(config.server.shutdown_timeout);
  let started = false;

  const exit = (code: number): void => {
    sink.flush();
    process.exit(code);
  };

  const shutDown = async (signal: NodeJS.Signals): Promise<void> => {
    logger.log(`${signal} received: draining requests (limit ${limit})`);
    app.get(ReadinessService).markShuttingDown();
    await drainHttpServer(app);
    await app.close();
    logger.log('stopped cleanly');
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (started) return;
    started = true;
    const deadline = setTimeout(() => {
      logger.error(`shutdown took longer than ${limit}; closing remaining connections`);
      app.getHttpServer().closeAllConnections();
      exit(1);
    }, config.server.shutdown_timeout);
    shutDown(signal).then(
      () => {
        clearTimeout(deadline);
        exit(0);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        exit(1);
      },
    );
  };

  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
