/**
 * The process's root pino logger and where its lines go (logging.output: stdout, stderr or a
 * file), one JSON object per line, or pino-pretty text when logging.format is `text`. JSON lines
 * are buffered and written in batches (4 KiB or every 200 ms, whichever comes first): one write
 * per request line cost more than the request. `flush()` pushes out what is buffered before the
 * process exits; shutdown does the same.
 */
import type { OnApplicationShutdown } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LoggingConfig } from '../config/config.schema';

/** Largest batch held back; lines are written at the latest after BATCH_INTERVAL_MS. */
const BATCH_BYTES = 4096;
const BATCH_INTERVAL_MS = 200;

type Destination = DestinationStream & { flushSync?: () => void; flush?: () => void };

export class LogSink implements OnApplicationShutdown {
  private readonly timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly logger: Logger,
    private readonly destination: Destination,
    batched: boolean,
  ) {
    if (batched) {
      this.timer = setInterval(() => this.flushSoon(), BATCH_INTERVAL_MS);
      this.timer.unref();
    }
  }

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
        : pino.destination({ dest: target, sync: false, mkdir: true, minLength: BATCH_BYTES });
    const logger = pino(
      {
        level: config.level,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    );
    return new LogSink(logger, destination, config.format !== 'text');
  }

  onApplicationShutdown(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.flush();
  }

  private flushSoon(): void {
    try {
      this.destination.flush?.();
    } catch {
      // Not open yet (a file still being created): the next tick writes it.
    }
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
