import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AdminUserView, MeResponse } from '@seqpulse/contracts';
import { ApiErrors } from '../common/openapi';
import { uuidPipe } from '../common/uuid-pipe';
import { AdminOnly, CurrentPrincipal, SessionOnly } from './decorators';
import type { Principal } from './principal';
import { AdminUserDto, CreateUserDto, MeDto, ResetPasswordDto, UpdateUserDto } from './auth.dto';
import { AdminUsersService } from './admin-users.service';
import { AuthService, toMe } from './auth.service';

/** Accounts, for a signed-in administrator only: an API key (even admin-scoped) can never manage users. */
@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@SessionOnly()
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: AdminUsersService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a user of either role (signed-in administrator only).' })
  @ApiCreatedResponse({ type: MeDto })
  @ApiErrors(400, 401, 403, 409, 429)
  async create(@Body() body: CreateUserDto): Promise<MeResponse> {
    return toMe(await this.auth.createUser(body.email, body.password, body.role));
  }

  @Get()
  @ApiOperation({ summary: 'Every account with its role, whether it is disabled, and its last sign-in.' })
  @ApiOkResponse({ type: [AdminUserDto] })
  @ApiErrors(401, 403)
  list(): Promise<AdminUserView[]> {
    return this.users.list();
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Disable or re-enable an account, or change its role. A disabled account’s sessions and keys fail on their next request.',
  })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(400, 401, 403, 404, 409, 429)
  update(
    @CurrentPrincipal() admin: Principal,
    @Param('id', uuidPipe('user')) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<AdminUserView> {
    return this.users.update(admin, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an account with its sessions, API keys and projects.' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409, 429)
  remove(@CurrentPrincipal() admin: Principal, @Param('id', uuidPipe('user')) id: string): Promise<void> {
    return this.users.remove(admin, id);
  }

  @Post(':id/password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password for an account; every session of that account ends (its keys stay).' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 429)
  resetPassword(
    @CurrentPrincipal() admin: Principal,
    @Param('id', uuidPipe('user')) id: string,
    @Body() body: ResetPasswordDto,
  ): Promise<void> {
    return this.users.resetPassword(admin, id, body.new_password);
  }
}
