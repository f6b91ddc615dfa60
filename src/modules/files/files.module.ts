/**
 * Files, trees, diff and blame of a repository (api-contract.md §3.3).
 * Wired into AppModule; it serves no routes until the feature is built.
 */
import { Module } from '@nestjs/common';

@Module({})
export class FilesModule {}
