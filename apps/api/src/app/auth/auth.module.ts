import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserEntity } from './user.entity';
import { SessionEntity } from './session.entity';
import { AuthService } from './auth.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { ApiKeysController } from '../api-keys/api-keys.controller';
import { ProjectEntity } from '../projects/project.entity';

/** Users, sessions and API keys, and the global guard that denies by default. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, SessionEntity, ApiKeyEntity, ProjectEntity])],
  providers: [AuthService, ApiKeysService, { provide: APP_GUARD, useClass: AuthGuard }],
  controllers: [AuthController, ApiKeysController],
  exports: [AuthService, ApiKeysService],
})
export class AuthModule {}
