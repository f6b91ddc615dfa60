/**
 * The one place the HTTP application is assembled, used by main.ts, the e2e tests, the OpenAPI
 * script and the benchmarks, so all of them run the same middleware, filter, pipe and interceptor.
 * Express middleware order matters: the request logger and metrics come first, so that a request
 * refused by any later step (limits, content type, body) still gets an id, a log line and a count.
 */
import type { NestApplicationOptions } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import type { GovcConfig } from './config/config.schema';
import { closeConnectionsWhenDraining } from './graceful-shutdown';
import { GitErrorFilter } from './http/git-error.filter';
import {
  applyServerLimits,
  requestReadDeadline,
  responseInactivityTimeout,
} from './http/http-server-limits';
import { hasStreamedBody, installJsonBody } from './http/json-body';
import { buildOpenApiDocument, mountApiDocs } from './http/openapi-document';
import { requestLimits } from './http/request-limits.middleware';
import { RequestTimeoutExemption, requestTimeout } from './http/request-timeout';
import { createValidationPipe } from './http/request-validation.pipe';
import { securityHeaders } from './http/security-headers';
import { LogSink } from './logging/log-sink';
import { NestPinoLogger } from './logging/nest-logger';
import { createRequestLogger } from './logging/request-logger';
import { HttpMetrics } from './metrics/http-metrics';
import { trackRequestCaller } from './modules/auth/request-caller';
import { ReadinessService } from './modules/health/readiness.service';

/** Options for NestFactory.create or a testing module's createNestApplication. */
export function appOptions(): NestApplicationOptions {
  // Body parsing is ours (installJsonBody); init errors must throw, not abort the process.
  return { bufferLogs: true, bodyParser: false, abortOnError: false };
}

export async function createApp(config: GovcConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config),
    appOptions(),
  );
  configureApp(app, config);
  return app;
}

/** Everything applied to a created (not yet initialised) application. */
export function configureApp(app: NestExpressApplication, config: GovcConfig): void {
  const logs = app.get(LogSink);
  app.useLogger(new NestPinoLogger(logs.logger));
  app.disable('x-powered-by');
  // API bodies are small and generated per request; hashing each one for an ETag is wasted work.
  app.set('etag', false);
  app.set(
    'trust proxy',
    config.server.trusted_proxies.length > 0 ? [...config.server.trusted_proxies] : false,
  );
  applyServerLimits(app.getHttpServer(), config.server);

  app.use(createRequestLogger(logs.logger));
  app.use(trackRequestCaller());
  if (config.metrics.enabled) app.use(app.get(HttpMetrics).middleware());
  app.use(responseInactivityTimeout(config.server));
  app.use(requestReadDeadline(config.server, hasStreamedBody));
  app.use(requestTimeout(config.server.request_timeout));
  app.use(closeConnectionsWhenDraining(app.get(ReadinessService)));
  app.use(requestLimits());
  app.use(securityHeaders());
  if (config.server.cors.enabled)
    app.enableCors({ origin: [...config.server.cors.allowed_origins] });
  installJsonBody(app, config.server.max_request_size);

  app.useGlobalFilters(new GitErrorFilter());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalGuards(new RequestTimeoutExemption(app.get(Reflector)));

  if (config.docs.enabled) mountApiDocs(app, buildOpenApiDocument(app));
}
