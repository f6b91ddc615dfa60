/**
 * The server-wide routes of api-contract.md §11.2, all system:admin: migration from GitHub or
 * GitLab, backup, the list of backups, and restore. Each long one answers 202 with its job and
 * `Location: /api/v1/jobs/<id>`.
 */
import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Endpoint } from '../../http/endpoint.decorator';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { BackupService } from './backup.service';
import { BackupListDto, BackupRequestDto, RestoreRequestDto } from './dto/backup.dto';
import { JobAcceptedDto } from './dto/job.dto';
import { MigrateRequestDto } from './dto/migrate.dto';
import { acceptJob } from './import-export.controller';
import { ImportExportAccess } from './importexport-access';
import { InsufficientPermissionError } from './importexport-errors';
import { MigrationService } from './migration.service';

const JOB_ACCEPTED = { status: 202, description: 'The job', type: JobAcceptedDto };

@ApiTags('import-export')
@Controller('api/v1')
export class AdminImportExportController {
  constructor(
    private readonly migration: MigrationService,
    private readonly backups: BackupService,
    private readonly access: ImportExportAccess,
  ) {}

  @Post('migrate')
  @Endpoint({
    summary: 'Migrate the repositories of a GitHub or GitLab organisation, group or user',
    operationId: 'migrateRepositories',
    permission: 'system:admin',
    responses: [JOB_ACCEPTED],
    errors: [{ status: 400, codes: ['INVALID_REQUEST', 'UNSUPPORTED_SOURCE'] }],
  })
  migrate(
    @Body() body: MigrateRequestDto,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal | null,
  ): JobAcceptedDto {
    return acceptJob(response, this.migration.start(body, principal));
  }

  @Post('backup')
  @Endpoint({
    summary: 'Back up repositories and metadata to one archive',
    operationId: 'backupCreate',
    permission: 'system:admin',
    responses: [JOB_ACCEPTED],
    errors: [{ status: 404, codes: ['REPO_NOT_FOUND'] }],
  })
  backup(
    @Body() body: BackupRequestDto,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal | null,
  ): JobAcceptedDto {
    this.requireAdmin(principal);
    const { job, backupId } = this.backups.start(body, principal);
    return acceptJob(response, job, { backup_id: backupId });
  }

  @Get('backups')
  @Endpoint({
    summary: 'List backups, newest first',
    operationId: 'backupList',
    permission: 'system:admin',
    responses: [{ status: 200, description: 'Backups', type: BackupListDto }],
  })
  async list(@CurrentPrincipal() principal: Principal | null): Promise<BackupListDto> {
    this.requireAdmin(principal);
    const backups = await this.backups.list();
    return { backups, count: backups.length };
  }

  @Post('restore')
  @Endpoint({
    summary: 'Restore repositories (and optionally metadata) from a backup, or verify it',
    operationId: 'backupRestore',
    permission: 'system:admin',
    requestTimeout: false,
    responses: [JOB_ACCEPTED],
    errors: [
      { status: 400, codes: ['INVALID_REQUEST', 'BACKUP_CORRUPT'] },
      { status: 404, codes: ['BACKUP_NOT_FOUND'] },
    ],
  })
  async restore(
    @Body() body: RestoreRequestDto,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<JobAcceptedDto> {
    this.requireAdmin(principal);
    return acceptJob(response, await this.backups.restore(body, principal));
  }

  private requireAdmin(principal: Principal | null): void {
    if (!this.access.isAdmin(principal)) throw new InsufficientPermissionError('system:admin');
  }
}
