/**
 * Health probes (api-contract.md §12), open without auth: GET /health (alias /api/v1/health) runs
 * the storage, memory and repositories checks through terminus and answers 503 only when one is
 * unhealthy; /health/live answers whenever the process can; /health/ready follows the
 * ReadinessService.
 */
import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { BUILD_INFO } from '../../build-info';
import { formatDuration } from '../../config/duration';
import { Endpoint } from '../../http/endpoint.decorator';
import { CheckResultDto, HealthResponseDto } from './dto/health-response.dto';
import { LiveResponseDto } from './dto/live-response.dto';
import { ReadyResponseDto } from './dto/ready-response.dto';
import type { CheckDetails } from './health-check';
import { MemoryHealthIndicator } from './memory.health';
import { ReadinessService } from './readiness.service';
import { RepositoriesHealthIndicator } from './repositories.health';
import { RuntimeStats } from './runtime-stats';
import { StorageHealthIndicator } from './storage.health';

const HEALTH_RESPONSES = [
  { status: 200, type: HealthResponseDto, description: 'Healthy, or degraded (a check warns)' },
  { status: 503, type: HealthResponseDto, description: 'A check is unhealthy' },
];

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly storage: StorageHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
    private readonly repositories: RepositoriesHealthIndicator,
    private readonly readiness: ReadinessService,
    private readonly runtime: RuntimeStats,
  ) {}

  @Get('health')
  @Endpoint({
    summary: 'Health of the server and its dependencies',
    public: true,
    responses: HEALTH_RESPONSES,
  })
  get(@Res({ passthrough: true }) response: Response): Promise<HealthResponseDto> {
    return this.answerHealth(response);
  }

  @Get('api/v1/health')
  @Endpoint({
    summary: 'Health (govc path alias of /health)',
    public: true,
    responses: HEALTH_RESPONSES,
  })
  getApiAlias(@Res({ passthrough: true }) response: Response): Promise<HealthResponseDto> {
    return this.answerHealth(response);
  }

  @Get('health/live')
  @Endpoint({
    summary: 'Liveness: the process answers',
    public: true,
    responses: [{ status: 200, type: LiveResponseDto, description: 'Alive' }],
  })
  live(): LiveResponseDto {
    return { status: 'alive', timestamp: new Date().toISOString() };
  }

  @Get('health/ready')
  @Endpoint({
    summary: 'Readiness: storage is open and the server is not shutting down',
    public: true,
    responses: [
      { status: 200, type: ReadyResponseDto, description: 'Ready for traffic' },
      { status: 503, type: ReadyResponseDto, description: 'Starting or shutting down' },
    ],
  })
  ready(@Res({ passthrough: true }) response: Response): ReadyResponseDto {
    const report = this.readiness.report();
    const timestamp = new Date().toISOString();
    if (report.ready) return { status: 'ready', timestamp, checks: { ...report.checks } };
    response.status(503);
    return { status: 'not_ready', timestamp, checks: { ...report.checks }, reason: report.reason };
  }

  private async answerHealth(response: Response): Promise<HealthResponseDto> {
    const result = await this.runChecks();
    const checks = {
      storage: toCheckResult(result, 'storage'),
      memory: toCheckResult(result, 'memory'),
      repositories: toCheckResult(result, 'repositories'),
    };
    const states = Object.values(checks).map((check) => check.status);
    const status = states.includes('unhealthy')
      ? 'unhealthy'
      : states.includes('warning')
        ? 'degraded'
        : 'healthy';
    if (status === 'unhealthy') response.status(503);
    return {
      status,
      timestamp: new Date().toISOString(),
      version: BUILD_INFO.version,
      uptime: formatDuration(process.uptime() * 1000),
      checks,
      system: this.runtime.snapshot(),
    };
  }

  private async runChecks(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.storage.check(),
        () => this.memory.check(),
        () => this.repositories.check(),
      ]);
    } catch (error) {
      // terminus reports a failed check by throwing 503 with the full result as its body.
      if (error instanceof ServiceUnavailableException)
        return error.getResponse() as HealthCheckResult;
      throw error;
    }
  }
}

function toCheckResult(result: HealthCheckResult, key: string): CheckResultDto {
  const details = result.details[key] as (CheckDetails & { status: string }) | undefined;
  if (!details) {
    return {
      status: 'unhealthy',
      message: 'check did not run',
      timestamp: new Date().toISOString(),
      duration: '0s',
    };
  }
  const { state, message, timestamp, duration } = details;
  return message === undefined
    ? { status: state, timestamp, duration }
    : { status: state, message, timestamp, duration };
}
