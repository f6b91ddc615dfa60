/**
 * GET /metrics in Prometheus text format. With metrics.token set, the scraper must send
 * `Authorization: Bearer <token>` (compared in constant time); otherwise 401.
 */
import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { MetricsConfig } from '../config/config.schema';
import { Endpoint } from '../http/endpoint.decorator';
import { HttpError } from '../http/http-error';

@ApiTags('metrics')
@Controller()
export class MetricsController extends PrometheusController {
  constructor(private readonly config: MetricsConfig) {
    super();
  }

  @Get()
  @Endpoint({
    summary: 'Prometheus metrics',
    public: true,
    operationId: 'metricsGet',
    responses: [
      {
        status: 200,
        description: 'Prometheus text format 0.0.4',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
    ],
  })
  override async index(
    @Res({ passthrough: true }) response: Response,
    @Headers('authorization') authorization?: string,
  ): Promise<string> {
    this.requireToken(authorization);
    return super.index(response);
  }

  private requireToken(authorization: string | undefined): void {
    if (this.config.token === '') return;
    const expected = Buffer.from(`Bearer ${this.config.token}`);
    const given = Buffer.from(authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new HttpError(401, 'UNAUTHORIZED', 'a valid metrics token is required', undefined, {
        'WWW-Authenticate': 'Bearer',
      });
    }
  }
}
