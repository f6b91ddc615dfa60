/**
 * Webhooks, their deliveries, event streams and server-side hook scripts (api-contract.md §6).
 * Global so that every feature module can publish domain events on the one bus.
 */
import { Global, Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { HOOKS_METRIC_PROVIDERS } from './hooks-metrics';
import { RepositoryEventBus } from './repository-event-bus';
import { RepositoryEvents } from './repository-events';
import { ServerHookService } from './server-hooks/server-hook.service';
import { ServerHooksController } from './server-hooks/server-hooks.controller';
import { EventStreamHub } from './streams/event-stream-hub';
import { EventsController } from './streams/events.controller';
import { WatchGateway } from './streams/watch-gateway';
import {
  WebhooksExecuteV2Controller,
  WebhooksV1Controller,
  WebhooksV2Controller,
} from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';

@Global()
@Module({
  imports: [HealthModule],
  // Order matters where paths overlap: the execute routes come before `hooks/:hook_id/…`.
  controllers: [
    ServerHooksController,
    WebhooksExecuteV2Controller,
    WebhooksV1Controller,
    WebhooksV2Controller,
    EventsController,
  ],
  providers: [
    RepositoryEventBus,
    ServerHookService,
    RepositoryEvents,
    WebhooksService,
    EventStreamHub,
    WatchGateway,
    ...HOOKS_METRIC_PROVIDERS,
  ],
  exports: [RepositoryEventBus, ServerHookService, RepositoryEvents],
})
export class HooksModule {}
