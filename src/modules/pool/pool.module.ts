/**
 * The in-memory repository pool: loading, eviction, stats and cleanup (api-contract.md §10.2).
 * Wired into AppModule; it serves no routes until the feature is built.
 */
import { Module } from '@nestjs/common';

@Module({})
export class PoolModule {}
