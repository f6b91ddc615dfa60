/**
 * Roles and per-repository grants (api-contract.md §2, §0.3): the permission names and their
 * implication (permissions.ts), the built-in roles, and the role and grant routes. The guard
 * and the stores are in the global AuthModule, whose AccountsService these routes use.
 */
import { Module } from '@nestjs/common';
import { GrantsController } from './grants.controller';
import { RolesController } from './roles.controller';

@Module({ controllers: [RolesController, GrantsController] })
export class RbacModule {}
