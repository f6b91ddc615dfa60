/**
 * A configuration problem found before the server listens. Its message is the one line the
 * process prints before exiting with code 1, naming the key, the reason and where the value came
 * from: `config error: server.port: must be an integer 1–65535 (got "abc" from GOVC_SERVER_PORT)`.
 */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
    readonly source: string,
    shownValue?: string,
  ) {
    const origin = shownValue === undefined ? `from ${source}` : `got ${shownValue} from ${source}`;
    super(`config error: ${key}: ${reason} (${origin})`);
    this.name = 'ConfigError';
  }
}
