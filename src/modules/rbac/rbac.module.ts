/**
 * Roles, permissions and per-repository grants; the guard that checks each route's permission (api-contract.md §2, §0.3).
 * Wired into AppModule; it serves no routes until the feature is built.
 */
import { Module } from '@nestjs/common';

@Module({})
export class RbacModule {}
