/**
 * POST /api/v1/repos/:repo_id/import and GET /api/v1/repos/:repo_id/export
 * (api-contract.md §11.2). The import route takes a bundle as the raw body or a multipart field,
 * or a JSON body naming a server path or a URL; every accepted import answers 202 with the job
 * and `Location: /api/v1/jobs/<id>`. Exports stream with Content-Disposition and are exempt from
 * the request timeout; `async=true` answers 202 with a job instead.
 */
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Endpoint } from '../../http/endpoint.decorator';
import { REPO_READ_ERRORS, REVISION_ERRORS } from '../git-core/route-errors';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { JobAcceptedDto, toJobAccepted } from './dto/job.dto';
import { ExportQueryDto } from './dto/export.dto';
import { ImportRequestDto } from './dto/import.dto';
import { ExportService } from './export.service';
import { UnsupportedSourceError } from './importexport-errors';
import { ImportService } from './import.service';
import type { Job } from './jobs/job';
import { BUNDLE_MEDIA_TYPE, MULTIPART_MEDIA_TYPE, mediaTypeOf } from './upload-receiver';

export function acceptJob(
  response: Response,
  job: Job,
  extra: { backup_id?: string } = {},
): JobAcceptedDto {
  response.status(202);
  response.setHeader('Location', `/api/v1/jobs/${job.id}`);
  return toJobAccepted(job, extra);
}

@ApiTags('import-export')
@Controller('api/v1/repos/:repo_id')
export class ImportExportController {
  constructor(
    private readonly imports: ImportService,
    private readonly exports: ExportService,
  ) {}

  @Post('import')
  @ApiConsumes('application/json', BUNDLE_MEDIA_TYPE, MULTIPART_MEDIA_TYPE)
  @ApiBody({ type: ImportRequestDto, required: false })
  @Endpoint({
    summary: 'Import a bundle, a server path or a remote URL into an empty or new repository',
    operationId: 'importRepository',
    permission: 'repo:write',
    requestTimeout: false,
    responses: [{ status: 202, description: 'The import job', type: JobAcceptedDto }],
    errors: [
      ...REPO_READ_ERRORS,
      { status: 400, codes: ['INVALID_BUNDLE', 'UNSUPPORTED_SOURCE', 'INVALID_REPO_ID'] },
      { status: 403, codes: ['FORBIDDEN', 'PATH_NOT_ALLOWED'] },
      { status: 409, codes: ['REPO_NOT_EMPTY'] },
      { status: 413, codes: ['REQUEST_TOO_LARGE'] },
      { status: 503, codes: ['MAX_REPOS_REACHED'] },
    ],
  })
  async import(
    @Param('repo_id') repoId: string,
    @Body() body: ImportRequestDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<JobAcceptedDto> {
    const type = mediaTypeOf(request);
    let job: Job;
    if (type === BUNDLE_MEDIA_TYPE || type === MULTIPART_MEDIA_TYPE) {
      job = await this.imports.importUpload(repoId, request, principal);
    } else if (body.source === 'path') {
      job = await this.imports.importPath(repoId, body, principal);
    } else if (body.source === 'url') {
      job = await this.imports.importUrl(repoId, body, principal);
    } else {
      throw new UnsupportedSourceError(
        body.source === undefined
          ? 'send a bundle (application/x-git-bundle or multipart field "bundle") or {source: "path"|"url"}'
          : `unsupported import source '${body.source}'`,
        { source: body.source ?? null },
      );
    }
    return acceptJob(response, job);
  }

  @Get('export')
  @Endpoint({
    summary: 'Export a repository as a bundle, a bare-repository tar or an archive of a tree',
    operationId: 'exportRepository',
    permission: 'repo:read',
    requestTimeout: false,
    responses: [
      {
        status: 200,
        description: 'The export, streamed as an attachment',
        content: {
          'application/x-git-bundle': { schema: { type: 'string', format: 'binary' } },
          'application/x-tar': { schema: { type: 'string', format: 'binary' } },
          'application/gzip': { schema: { type: 'string', format: 'binary' } },
        },
      },
      { status: 202, description: 'async=true: the export job', type: JobAcceptedDto },
    ],
    errors: [
      ...REPO_READ_ERRORS,
      ...REVISION_ERRORS,
      { status: 400, codes: ['UNSUPPORTED_FORMAT'] },
    ],
  })
  async export(
    @Param('repo_id') repoId: string,
    @Query() query: ExportQueryDto,
    @Res() response: Response,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<void> {
    if (query.async === true) {
      const job = await this.exports.submit(repoId, query, principal);
      response.json(acceptJob(response, job));
      return;
    }
    const plan = await this.exports.plan(repoId, query);
    response.status(200);
    response.setHeader('Content-Type', plan.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="${plan.filename}"`);
    response.setHeader('Cache-Control', 'no-store');
    try {
      await this.exports.write(plan, response);
    } catch {
      // Headers are gone; a broken stream is all the client can be told.
      response.destroy();
    }
  }
}
