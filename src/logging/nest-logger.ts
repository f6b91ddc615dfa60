/**
 * Nest's own log lines (bootstrap, module errors, `new Logger(context)` in services) written to
 * the root pino logger as JSON with a `context` field, so that the server has one log stream.
 */
import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal';

export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...optional: unknown[]): void {
    this.write('info', message, optional);
  }

  error(message: unknown, ...optional: unknown[]): void {
    // Nest calls error(message, stack?, context?).
    const context = optional.length > 0 ? optional[optional.length - 1] : undefined;
    const stack = optional.length > 1 ? optional[0] : undefined;
    if (!this.logger.isLevelEnabled('error')) return;
    const fields: Record<string, unknown> = {};
    if (typeof context === 'string') fields.context = context;
    if (typeof stack === 'string' && stack !== '') fields.stack = stack;
    if (message instanceof Error) {
      this.logger.error({ ...fields, err: message }, message.message);
    } else {
      this.logger.error(fields, text(message));
    }
  }

  warn(message: unknown, ...optional: unknown[]): void {
    this.write('warn', message, optional);
  }

  debug(message: unknown, ...optional: unknown[]): void {
    this.write('debug', message, optional);
  }

  verbose(message: unknown, ...optional: unknown[]): void {
    this.write('trace', message, optional);
  }

  fatal(message: unknown, ...optional: unknown[]): void {
    this.write('fatal', message, optional);
  }

  private write(level: Level, message: unknown, optional: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const context = optional.length > 0 ? optional[optional.length - 1] : undefined;
    const fields = typeof context === 'string' ? { context } : {};
    this.logger[level](fields, text(message));
  }
}

function text(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.message;
  try {
    return JSON.stringify(message);
  } catch {
    return String(message);
  }
}
