/**
 * Request metrics for every HTTP request, including those refused before routing: a duration
 * histogram and a counter labelled by method, route template (`unmatched` when no route matched)
 * and status, plus the number in flight. The middleware is mounted early on the Express stack by
 * app.factory; the route is read when the response ends, after routing has happened.
 */
import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { RequestHandler } from 'express';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { routeTemplate } from '../http/route-template';
import {
  HTTP_REQUESTS_IN_FLIGHT,
  HTTP_REQUESTS_TOTAL,
  HTTP_REQUEST_DURATION,
} from './metric-names';

@Injectable()
export class HttpMetrics {
  constructor(
    @InjectMetric(HTTP_REQUEST_DURATION) private readonly duration: Histogram<string>,
    @InjectMetric(HTTP_REQUESTS_TOTAL) private readonly total: Counter<string>,
    @InjectMetric(HTTP_REQUESTS_IN_FLIGHT) private readonly inFlight: Gauge<string>,
  ) {}

  middleware(): RequestHandler {
    return (request, response, next) => {
      const started = process.hrtime.bigint();
      this.inFlight.inc();
      let recorded = false;
      const record = (): void => {
        if (recorded) return;
        recorded = true;
        this.inFlight.dec();
        const labels = {
          method: request.method,
          route: routeTemplate(request) ?? 'unmatched',
          status: String(response.statusCode),
        };
        this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        this.total.inc(labels);
      };
      // 'close' also covers clients that hang up before the response finished.
      response.once('finish', record);
      response.once('close', record);
      next();
    };
  }
}
