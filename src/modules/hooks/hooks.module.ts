/**
 * Webhooks, their deliveries, event streams and server-side hook scripts (api-contract.md §6).
 * Global so that every feature module can publish domain events on the one bus.
 */
import { Global, Module } from '@nestjs/common';
import { RepositoryEventBus } from './repository-event-bus';

@Global()
@Module({
  providers: [RepositoryEventBus],
  exports: [RepositoryEventBus],
})
export class HooksModule {}
