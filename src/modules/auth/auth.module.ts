/**
 * Authentication: login, JWT, API keys, users and the first-start admin (api-contract.md §2, §0.3).
 * Wired into AppModule; it serves no routes until the feature is built.
 */
import { Module } from '@nestjs/common';

@Module({})
export class AuthModule {}
