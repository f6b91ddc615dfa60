/** GET /api/v1/audit (api-contract.md §11.4): the audit trail, newest first, for system:admin. */
import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../../http/api-version';
import { Endpoint } from '../../http/endpoint.decorator';
import { HttpError } from '../../http/http-error';
import { AuditLog, type AuditResult } from './audit-log';
import { InvalidParameterError } from './auth-errors';
import { AuditListDto, AuditQueryDto } from './dto/auth.dto';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const RESULTS: ReadonlySet<string> = new Set(['success', 'denied', 'failure']);

function time(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) throw new InvalidParameterError(name, 'must be an RFC3339 time');
  return parsed;
}

@ApiTags('audit')
@Controller(`${API_V1}/audit`)
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @Endpoint({
    summary: 'Audit log entries, newest first, with filters',
    operationId: 'auditList',
    permission: 'system:admin',
    responses: [{ status: 200, type: AuditListDto, description: 'One page of entries' }],
    errors: [{ status: 400, codes: ['INVALID_PARAMETER', 'INVALID_LIMIT'] }],
  })
  list(@Query() query: AuditQueryDto): AuditListDto {
    let limit = 100;
    if (query.limit !== undefined) {
      limit = /^\d{1,9}$/.test(query.limit) ? Number(query.limit) : 0;
      if (limit < 1) throw new HttpError(400, 'INVALID_LIMIT', 'limit must be an integer ≥ 1');
      limit = Math.min(limit, 1000);
    }
    if (query.result !== undefined && !RESULTS.has(query.result)) {
      throw new InvalidParameterError('result', 'must be success, denied or failure');
    }
    if (query.cursor !== undefined && !/^a\d{1,15}$/.test(query.cursor)) {
      throw new InvalidParameterError('cursor', 'not a cursor of this log');
    }
    const page = this.audit.query({
      actor: query.actor,
      action: query.action,
      repoId: query.repo_id,
      result: query.result as AuditResult | undefined,
      since: time('since', query.since),
      until: time('until', query.until),
      limit,
      cursor: query.cursor,
    });
    return {
      entries: page.entries as unknown as AuditListDto['entries'],
      count: page.entries.length,
      next_cursor: page.next_cursor,
    };
  }
}
