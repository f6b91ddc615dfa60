/**
 * Prometheus metrics (@willsoto/nestjs-prometheus over prom-client's default registry). The
 * metric providers always exist, so features can inject them; the /metrics route exists only when
 * metrics.enabled, and Node's default metrics are collected when metrics.default_metrics.
 */
import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import {
  InjectMetric,
  PrometheusModule,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import { type Gauge, collectDefaultMetrics, register } from 'prom-client';
import { BUILD_INFO } from '../build-info';
import type { MetricsConfig } from '../config/config.schema';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import {
  BUILD_INFO_METRIC,
  HTTP_DURATION_BUCKETS,
  HTTP_REQUESTS_IN_FLIGHT,
  HTTP_REQUESTS_TOTAL,
  HTTP_REQUEST_DURATION,
  TRANSACTIONS_ACTIVE,
  UPTIME_SECONDS,
} from './metric-names';
import { sumGaugeSources } from './gauge-sources';

const HTTP_LABELS = ['method', 'route', 'status'];

const METRIC_PROVIDERS = [
  makeHistogramProvider({
    name: HTTP_REQUEST_DURATION,
    help: 'HTTP request duration in seconds, by method, route template and status',
    labelNames: HTTP_LABELS,
    buckets: HTTP_DURATION_BUCKETS,
  }),
  makeCounterProvider({
    name: HTTP_REQUESTS_TOTAL,
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: HTTP_LABELS,
  }),
  makeGaugeProvider({ name: HTTP_REQUESTS_IN_FLIGHT, help: 'HTTP requests being served' }),
  makeGaugeProvider({
    name: UPTIME_SECONDS,
    help: 'Seconds since the process started',
    collect() {
      this.set(process.uptime());
    },
  }),
  makeGaugeProvider({
    name: TRANSACTIONS_ACTIVE,
    help: 'Open transactions over all repositories',
    collect() {
      this.set(sumGaugeSources(TRANSACTIONS_ACTIVE));
    },
  }),
  makeGaugeProvider({
    name: BUILD_INFO_METRIC,
    help: 'Always 1; the labels describe the running build',
    labelNames: ['version', 'node_version'],
  }),
];

@Module({})
export class MetricsModule implements OnModuleInit {
  constructor(@InjectMetric(BUILD_INFO_METRIC) private readonly buildInfo: Gauge<string>) {}

  static forRoot(config: MetricsConfig): DynamicModule {
    // The default registry is per process; a second app in the same process (tests) reuses it.
    if (config.default_metrics && !register.getSingleMetric('process_cpu_user_seconds_total')) {
      collectDefaultMetrics();
    }
    const routes = config.enabled
      ? [
          PrometheusModule.register({
            controller: MetricsController,
            path: '/metrics',
            defaultMetrics: { enabled: false },
          }),
        ]
      : [];
    return {
      module: MetricsModule,
      global: true,
      imports: routes,
      providers: [...METRIC_PROVIDERS, HttpMetrics],
      exports: [...METRIC_PROVIDERS, HttpMetrics],
    };
  }

  onModuleInit(): void {
    this.buildInfo.labels(BUILD_INFO.version, BUILD_INFO.node_version).set(1);
  }
}
