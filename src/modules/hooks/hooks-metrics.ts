/**
 * The metrics of webhooks and event streams (api-contract.md §12). The counter is counted as
 * deliveries settle; the gauges are read from their services when /metrics is scraped.
 */
import { makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import { sumGaugeSources } from '../../metrics/gauge-sources';

export const WEBHOOK_DELIVERIES_TOTAL = 'govc_webhook_deliveries_total';
export const WEBHOOK_QUEUE_DEPTH = 'govc_webhook_queue_depth';
export const SSE_CONNECTIONS = 'govc_sse_connections';
export const WS_CONNECTIONS = 'govc_ws_connections';

const sourcedGauge = (name: string, help: string) =>
  makeGaugeProvider({
    name,
    help,
    collect() {
      this.set(sumGaugeSources(name));
    },
  });

export const HOOKS_METRIC_PROVIDERS = [
  makeCounterProvider({
    name: WEBHOOK_DELIVERIES_TOTAL,
    help: 'Webhook delivery attempts by outcome (success, failure, retry, dropped, blocked)',
    labelNames: ['result'],
  }),
  sourcedGauge(WEBHOOK_QUEUE_DEPTH, 'Webhook deliveries waiting or being sent'),
  sourcedGauge(SSE_CONNECTIONS, 'Open Server-Sent Events streams'),
  sourcedGauge(WS_CONNECTIONS, 'Open WebSocket event streams'),
];
