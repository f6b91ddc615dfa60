/**
 * Files, trees, diffs and blame of a repository (api-contract.md §3.2 add, §3.3, §4), on
 * /api/v1 and the /api/v2 aliases. The registry comes from the global git-core module.
 */
import { Module } from '@nestjs/common';
import { BlameController } from './blame.controller';
import { DiffController } from './diff.controller';
import { DiffService } from './diff.service';
import { FilesController } from './files.controller';
import { FilesService } from './files.service';
import { V2BlameController } from './v2-blame.controller';
import { V2DiffController } from './v2-diff.controller';
import { V2FilesController } from './v2-files.controller';

@Module({
  controllers: [
    FilesController,
    DiffController,
    BlameController,
    V2FilesController,
    V2DiffController,
    V2BlameController,
  ],
  providers: [FilesService, DiffService],
})
export class FilesModule {}
