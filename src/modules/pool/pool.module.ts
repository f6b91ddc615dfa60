/**
 * The in-memory repository pool (api-contract.md §10.2): stats and cleanup routes and the
 * periodic idle eviction. The pool's state and rules live in git-core's RepositoryRegistry
 * (global), which loads repositories; this module reports on it and drives its cleanup.
 */
import { Module } from '@nestjs/common';
import { PoolController } from './pool.controller';
import { PoolService } from './pool.service';

@Module({
  controllers: [PoolController],
  providers: [PoolService],
})
export class PoolModule {}
