/**
 * The repositories check of /health: a warning above 90 % of server.max_repos, the point where
 * creating repositories will soon fail with MAX_REPOS_REACHED. Without a repository store wired
 * in, there is nothing to count and the check says so.
 */
import { Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ServerConfig } from '../../config/config.schema';
import { runCheck } from './health-check';
import { RepositoryCounter } from './repository-counter';

const WARNING_FRACTION = 0.9;

@Injectable()
export class RepositoriesHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly server: ServerConfig,
    @Optional() private readonly counter?: RepositoryCounter,
  ) {}

  check(): Promise<HealthIndicatorResult> {
    return runCheck(this.indicators, 'repositories', () => {
      if (!this.counter) return { state: 'healthy', message: 'no repository store is wired in' };
      const count = this.counter.count();
      const max = this.server.max_repos;
      const message = `${count} of ${max} repositories`;
      return { state: count > max * WARNING_FRACTION ? 'warning' : 'healthy', message };
    });
  }
}
