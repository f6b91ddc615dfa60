/**
 * Import, export, migration, backup and restore, run as jobs (api-contract.md §11.2). The jobs
 * themselves live in the global JobsModule, which other modules use for their own job types.
 */
import { Module } from '@nestjs/common';
import { AdminImportExportController } from './admin.controller';
import { BackupService } from './backup.service';
import { ExportService } from './export.service';
import { ImportExportController } from './import-export.controller';
import { ImportService } from './import.service';
import { JobsModule } from './jobs/jobs.module';
import { MigrationService } from './migration.service';

@Module({
  imports: [JobsModule],
  controllers: [ImportExportController, AdminImportExportController],
  providers: [ImportService, ExportService, BackupService, MigrationService],
})
export class ImportExportModule {}
