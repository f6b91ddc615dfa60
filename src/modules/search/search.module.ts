/**
 * Search over repository content: basic, regex, full-text, SQL subset (api-contract.md §5).
 * Wired into AppModule; it serves no routes until the feature is built.
 */
import { Module } from '@nestjs/common';

@Module({})
export class SearchModule {}
