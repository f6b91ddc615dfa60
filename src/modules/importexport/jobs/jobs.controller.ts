/**
 * The jobs routes (api-contract.md §11.2): list (own jobs; all for system:admin), get (also as
 * `/progress`), cancel, and the download of an async export's file. A job the caller may not
 * see answers 404 JOB_NOT_FOUND, as a missing one.
 */
import { createReadStream } from 'node:fs';
import { Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ANY_AUTHENTICATED, Endpoint } from '../../../http/endpoint.decorator';
import { toPage } from '../../../http/page-query.dto';
import { CurrentPrincipal, type Principal } from '../../auth/principal';
import { JobDto, JobListDto, JobListQueryDto, toJobDto } from '../dto/job.dto';
import { ImportExportAccess } from '../importexport-access';
import { JobNotFoundError } from '../importexport-errors';
import type { Job } from './job';
import { JobsService } from './jobs.service';

const JOB_NOT_FOUND = { status: 404, codes: ['JOB_NOT_FOUND'] };

@ApiTags('jobs')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly access: ImportExportAccess,
  ) {}

  @Get()
  @Endpoint({
    summary: 'List jobs (own jobs; all for system:admin), newest first',
    operationId: 'jobsList',
    permission: ANY_AUTHENTICATED,
    responses: [{ status: 200, description: 'Jobs', type: JobListDto }],
    errors: [{ status: 400, codes: ['INVALID_REQUEST', 'INVALID_LIMIT', 'INVALID_OFFSET'] }],
  })
  list(
    @Query() query: JobListQueryDto,
    @CurrentPrincipal() principal: Principal | null,
  ): JobListDto {
    const { limit, offset } = toPage(query);
    const all = this.jobs.list({
      ...(query.type === undefined ? {} : { type: query.type }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(this.access.isAdmin(principal) ? {} : { createdBy: this.access.creator(principal) }),
    });
    const jobs = all.slice(offset, offset + limit).map(toJobDto);
    return { jobs, count: jobs.length };
  }

  @Get(':id')
  @Endpoint({
    summary: 'Get a job',
    operationId: 'jobsGet',
    permission: ANY_AUTHENTICATED,
    responses: [{ status: 200, description: 'The job', type: JobDto }],
    errors: [JOB_NOT_FOUND],
  })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal | null): JobDto {
    return toJobDto(this.visible(id, principal));
  }

  @Get(':id/progress')
  @Endpoint({
    summary: 'Get a job (alias of GET /api/v1/jobs/:id)',
    operationId: 'jobsProgress',
    permission: ANY_AUTHENTICATED,
    responses: [{ status: 200, description: 'The job', type: JobDto }],
    errors: [JOB_NOT_FOUND],
  })
  progress(@Param('id') id: string, @CurrentPrincipal() principal: Principal | null): JobDto {
    return toJobDto(this.visible(id, principal));
  }

  @Post(':id/cancel')
  @Endpoint({
    summary: 'Cancel a queued or running job; its partial work is undone',
    operationId: 'jobsCancel',
    permission: ANY_AUTHENTICATED,
    responses: [{ status: 200, description: 'The cancelled job', type: JobDto }],
    errors: [JOB_NOT_FOUND, { status: 409, codes: ['JOB_NOT_CANCELLABLE'] }],
  })
  async cancel(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<JobDto> {
    this.visible(id, principal);
    return toJobDto(await this.jobs.cancel(id));
  }

  @Get(':id/download')
  @Endpoint({
    summary: 'Download the file of a completed asynchronous export',
    operationId: 'jobsDownload',
    permission: ANY_AUTHENTICATED,
    requestTimeout: false,
    responses: [
      {
        status: 200,
        description: 'The exported file',
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      },
    ],
    errors: [JOB_NOT_FOUND],
  })
  download(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal | null,
    @Res() response: Response,
  ): void {
    const job = this.visible(id, principal);
    const artifact = job.status === 'completed' ? job.artifact : undefined;
    // Not ready (or not an export): there is no file to download yet.
    if (artifact === undefined) throw new JobNotFoundError(id);
    response.status(200);
    response.setHeader('Content-Type', artifact.content_type);
    response.setHeader('Content-Length', String(artifact.size));
    response.setHeader('Content-Disposition', `attachment; filename="${artifact.filename}"`);
    const stream = createReadStream(artifact.path);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  }

  private visible(id: string, principal: Principal | null): Job {
    const job = this.jobs.get(id);
    if (job.created_by !== this.access.creator(principal) && !this.access.isAdmin(principal)) {
      throw new JobNotFoundError(id);
    }
    return job;
  }
}
