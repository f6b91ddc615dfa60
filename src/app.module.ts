/**
 * The root module: the infrastructure (configuration, logging, metrics) and every feature module
 * of the design. Built from an already validated GovcConfig, so a test or script can start the
 * real application with any configuration.
 */
import { type DynamicModule, Module } from '@nestjs/common';
import type { GovcConfig } from './config/config.schema';
import { GovcConfigModule } from './config/govc-config.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { AiModule } from './modules/ai/ai.module';
import { AuthModule } from './modules/auth/auth.module';
import { ClusterModule } from './modules/cluster/cluster.module';
import { FilesModule } from './modules/files/files.module';
import { GitCoreModule } from './modules/git-core/git-core.module';
import { GitHttpModule } from './modules/git-http/git-http.module';
import { HealthModule } from './modules/health/health.module';
import { HooksModule } from './modules/hooks/hooks.module';
import { ImportExportModule } from './modules/importexport/importexport.module';
import { PoolModule } from './modules/pool/pool.module';
import { RbacModule } from './modules/rbac/rbac.module';
import { RealitiesModule } from './modules/realities/realities.module';
import { GitOperationsModule } from './modules/repos/operations/operations.module';
import { ReposModule } from './modules/repos/repos.module';
import { SearchModule } from './modules/search/search.module';
import { TimeTravelModule } from './modules/time-travel/time-travel.module';
import { TransactionsModule } from './modules/transactions/transactions.module';

@Module({})
export class AppModule {
  static forRoot(config: GovcConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        GovcConfigModule.forRoot(config),
        LoggingModule.forRoot(config.logging),
        MetricsModule.forRoot(config.metrics),
        HealthModule,
        GitCoreModule,
        AuthModule,
        RbacModule,
        PoolModule,
        ReposModule,
        GitOperationsModule,
        TimeTravelModule,
        TransactionsModule,
        RealitiesModule,
        FilesModule,
        SearchModule,
        HooksModule,
        ClusterModule,
        ImportExportModule,
        AiModule,
        GitHttpModule.forRoot(config.git),
      ],
    };
  }
}
