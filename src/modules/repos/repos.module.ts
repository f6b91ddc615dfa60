/**
 * Repositories and their commit history (api-contract.md §3.1, §3.2, §4): create, list, get,
 * delete, commit, log, show, status, on /api/v1 and the /api/v2 aliases. The registry comes
 * from the global git-core module.
 */
import { Module } from '@nestjs/common';
import { CommitsController } from './commits.controller';
import { CommitsService } from './commits.service';
import { ReposController } from './repos.controller';
import { ReposService } from './repos.service';
import { StatusController } from './status.controller';
import { V2CommitsController } from './v2-commits.controller';
import { V2ReposController } from './v2-repos.controller';
import { V2StatusController } from './v2-status.controller';

@Module({
  controllers: [
    ReposController,
    CommitsController,
    StatusController,
    V2ReposController,
    V2CommitsController,
    V2StatusController,
  ],
  providers: [ReposService, CommitsService],
})
export class ReposModule {}
