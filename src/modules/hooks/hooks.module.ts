/**
 * Webhooks, their deliveries, event streams and server-side hook scripts (api-contract.md §6).
 * Wired into AppModule; it serves no routes until the feature is built.
 */
import { Module } from '@nestjs/common';

@Module({})
export class HooksModule {}
