/**
 * The process's root pino logger and where its lines go (logging.output: stdout, stderr or a
 * file), one JSON object per line, or pino-pretty text when logging.format is `text`. Writes are
 * asynchronous; `flush()` pushes out what is buffered before the process exits.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LoggingConfig } from '../config/config.schema';

export class LogSink {
  private constructor(
    readonly logger: Logger,
    private readonly destination: DestinationStream & { flushSync?: () => void },
  ) {}

  static create(config: LoggingConfig): LogSink {
    const target = config.output === 'stdout' ? 1 : config.output === 'stderr' ? 2 : config.output;
    const destination =
      config.format === 'text'
        ? pretty({
            destination: target,
            sync: true,
            colorize: false,
            translateTime: 'SYS:standard',
          })
        : pino.destination({ dest: target, sync: false, mkdir: true });
    const logger = pino(
      {
        level: config.level,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    );
    return new LogSink(logger, destination);
  }

  /** Writes out buffered lines synchronously; harmless when nothing is pending. */
  flush(): void {
    try {
      this.destination.flushSync?.();
    } catch {
      // A file destination still opening has nothing buffered to lose.
    }
  }
}
