/**
 * Git smart HTTP (api-contract.md §11.1): `git clone`, `fetch` and `push` against the server.
 * With `git.http_enabled: false` the module registers no controller, so the routes do not exist
 * (404 ENDPOINT_NOT_FOUND like any unknown path).
 */
import { type DynamicModule, Module } from '@nestjs/common';
import type { GitConfig } from '../../config/config.schema';
import { GitHttpController } from './git-http.controller';
import { GIT_HTTP_METRIC_PROVIDERS, GitHttpMetrics } from './git-http.metrics';
import { GitHttpService } from './git-http.service';

@Module({})
export class GitHttpModule {
  static forRoot(git: GitConfig): DynamicModule {
    return {
      module: GitHttpModule,
      controllers: git.http_enabled ? [GitHttpController] : [],
      providers: [GitHttpService, GitHttpMetrics, ...GIT_HTTP_METRIC_PROVIDERS],
      exports: [GitHttpService],
    };
  }
}
