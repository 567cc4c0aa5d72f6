import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserEntity } from './user.entity';
import { SessionEntity } from './session.entity';
import { AuthService } from './auth.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { Credentials } from './credentials';
import { AccountsBootstrap } from './accounts-bootstrap';
import { AdminUsersService } from './admin-users.service';
import { AdminUsersController } from './admin-users.controller';
import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { ApiKeysController } from '../api-keys/api-keys.controller';
import { ProjectEntity } from '../projects/project.entity';

/** Users, sessions and API keys, the account lifecycle, and the global guard that denies by default. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, SessionEntity, ApiKeyEntity, ProjectEntity])],
  providers: [AuthService, ApiKeysService, Credentials, AccountsBootstrap, AdminUsersService, { provide: APP_GUARD, useClass: AuthGuard }],
  controllers: [AuthController, AdminUsersController, ApiKeysController],
  exports: [AuthService, ApiKeysService, Credentials],
})
export class AuthModule {}
