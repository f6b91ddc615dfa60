/**
 * Import, export, migration, backup and restore, run as jobs (api-contract.md §11.2).
 * Wired into AppModule; it serves no routes until the feature is built.
 */
import { Module } from '@nestjs/common';

@Module({})
export class ImportExportModule {}
