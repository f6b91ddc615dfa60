/**
 * Jobs (api-contract.md §11.2) as a global module, so any feature module can run its long work
 * as a job by injecting JobsService (e.g. search's `index` jobs) without importing the
 * import/export module. Imported once, by ImportExportModule.
 */
import { Global, Module } from '@nestjs/common';
import { ImportExportAccess } from '../importexport-access';
import { JOBS_METRIC_PROVIDER } from './jobs-metrics';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

@Global()
@Module({
  controllers: [JobsController],
  providers: [JobsService, ImportExportAccess, JOBS_METRIC_PROVIDER],
  exports: [JobsService, ImportExportAccess],
})
export class JobsModule {}
