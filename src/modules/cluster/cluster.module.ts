/**
 * Cluster membership, shard ownership, forwarding and failover over PostgreSQL (api-contract.md §10.3).
 * Wired into AppModule; it serves no routes until the feature is built.
 */
import { Module } from '@nestjs/common';

@Module({})
export class ClusterModule {}
