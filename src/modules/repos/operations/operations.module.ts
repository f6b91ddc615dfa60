/**
 * Git operations on a repository beyond files and commits: branches, checkout, merge, tags,
 * cherry-pick, revert, reset, rebase and stash (api-contract.md §3.4–§3.6, §4). The engine comes
 * through git-core's RepositoryRegistry (global).
 */
import { Module } from '@nestjs/common';
import { BranchesController } from './branches.controller';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';
import { RefsService } from './refs.service';
import { StashController } from './stash.controller';
import { TagsController } from './tags.controller';

@Module({
  controllers: [BranchesController, TagsController, HistoryController, StashController],
  providers: [RefsService, HistoryService],
})
export class GitOperationsModule {}
