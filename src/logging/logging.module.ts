/**
 * Logging for the whole app: one root pino logger (LogSink) that Nest's own logs (NestPinoLogger,
 * installed by app.useLogger) and the request logger mounted first on the Express stack (so even
 * requests refused before routing get an id and a line) both write to.
 */
import { type DynamicModule, Module } from '@nestjs/common';
import type { LoggingConfig } from '../config/config.schema';
import { LogSink } from './log-sink';

@Module({})
export class LoggingModule {
  static forRoot(config: LoggingConfig): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      providers: [{ provide: LogSink, useValue: LogSink.create(config) }],
      exports: [LogSink],
    };
  }
}
