/**
 * Logging for the whole app. One root pino logger (LogSink) serves three users: Nest's own logs
 * (nestjs-pino's Logger, installed by app.useLogger), services that inject PinoLogger (bound to the
 * current request through nestjs-pino's async context), and the request logger that app.factory
 * mounts first on the Express stack, so that even requests refused before routing get an id and a
 * log line. nestjs-pino runs in `useExisting` mode to reuse that request logger's child loggers.
 */
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { LoggingConfig } from '../config/config.schema';
import { LogSink } from './log-sink';

@Module({})
export class LoggingModule {
  static forRoot(config: LoggingConfig): DynamicModule {
    const sink = LogSink.create(config);
    return {
      module: LoggingModule,
      global: true,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger: sink.logger }, useExisting: true })],
      providers: [{ provide: LogSink, useValue: sink }],
      exports: [LogSink, LoggerModule],
    };
  }
}
