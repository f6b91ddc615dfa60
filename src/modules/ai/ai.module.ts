/**
 * AI features backed by a deterministic local engine by default (api-contract.md §11.3).
 * Wired into AppModule; it serves no routes until the feature is built.
 */
import { Module } from '@nestjs/common';

@Module({})
export class AiModule {}
