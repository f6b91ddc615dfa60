/**
 * Authentication and the audit log (api-contract.md §0.3, §2, §11.4): users, API keys, roles,
 * JWT sessions, the global guard, the first-start admin, and the services other features use
 * to authenticate and authorize on their own (git smart HTTP, event streams):
 * AuthenticationService and AccessPolicy. Global, so those features need not import it.
 */
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessPolicy } from './access-policy';
import { AccountsService } from './accounts.service';
import { ApiKeysController, AuthKeysController } from './api-keys.controller';
import { AuditController } from './audit.controller';
import { AuthController } from './auth.controller';
import { LoginThrottle } from './login-throttle';
import { UsersController } from './users.controller';
import { AuditLog } from './audit-log';
import { AuthBootstrap } from './auth-bootstrap.service';
import { AuthGuard } from './auth.guard';
import { AuthenticationService } from './authentication.service';
import { IdentityStore } from './identity-store';

@Global()
@Module({
  controllers: [
    AuthController,
    ApiKeysController,
    AuthKeysController,
    UsersController,
    AuditController,
  ],
  providers: [
    AccountsService,
    LoginThrottle,
    IdentityStore,
    AuthenticationService,
    AccessPolicy,
    AuditLog,
    AuthBootstrap,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [IdentityStore, AuthenticationService, AccessPolicy, AuditLog, AccountsService],
})
export class AuthModule {}
