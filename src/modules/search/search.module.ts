/**
 * Search over repository content (api-contract.md §5): basic (commits, content, files, grep)
 * and advanced (full-text, SQL subset, aggregate, statistics, suggestions, rebuild), over one
 * in-memory index per repository; `rebuild` with `async: true` runs as an `index` job of the
 * jobs service (ImportExportModule). Times every search in govc_search_duration_seconds{kind}.
 */
import { Module } from '@nestjs/common';
import { makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { HTTP_DURATION_BUCKETS } from '../../metrics/metric-names';
import { ImportExportModule } from '../importexport/importexport.module';
import { SearchController } from './search.controller';
import { SearchIndexRegistry } from './search-index.registry';
import { SEARCH_DURATION, SearchService } from './search.service';

@Module({
  imports: [ImportExportModule],
  controllers: [SearchController],
  providers: [
    SearchService,
    SearchIndexRegistry,
    makeHistogramProvider({
      name: SEARCH_DURATION,
      help: 'Search duration in seconds, by kind (commits, content, files, grep, fulltext, sql, …)',
      labelNames: ['kind'],
      buckets: HTTP_DURATION_BUCKETS,
    }),
  ],
})
export class SearchModule {}
