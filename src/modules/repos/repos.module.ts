/**
 * Repositories and their git operations: create, list, delete, add, commit, log, branches, tags, merge, stash (api-contract.md §3, §4).
 * Wired into AppModule; it serves no routes until the feature is built.
 */
import { Module } from '@nestjs/common';

@Module({})
export class ReposModule {}
