import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { LoginResponse, MeResponse } from '@seqpulse/contracts';
import { ApiErrors } from '../common/openapi';
import { CurrentPrincipal, Public, SessionOnly } from './decorators';
import { AuthService, toMe } from './auth.service';
import { ChangePasswordDto, LoginDto, LoginResponseDto, MeDto, SignupDto } from './auth.dto';
import type { Principal } from './principal';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/login')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a session token (rate limited per client address).' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, 401, 429)
  login(@Body() body: LoginDto): Promise<LoginResponse> {
    return this.auth.login(body.email, body.password);
  }

  @Post('auth/signup')
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiOperation({ summary: 'Create a member account (passwords of at least 12 characters). Off when SEQPULSE_SIGNUP=false.' })
  @ApiCreatedResponse({ type: MeDto })
  @ApiErrors(400, 403, 409, 429)
  signup(@Body() body: SignupDto): Promise<MeResponse> {
    return this.auth.signup(body.email, body.password);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke the current session token at once.' })
  @ApiErrors(401)
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.logout(principal);
  }

  @Post('auth/logout-all')
  @HttpCode(204)
  @SessionOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out everywhere: every session of the caller ends, this one included (API keys stay).' })
  @ApiNoContentResponse()
  @ApiErrors(401, 403, 429)
  async logoutAll(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.logoutAll(principal);
  }

  @Post('auth/password')
  @HttpCode(204)
  @SessionOnly()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change my password (the current one is required). Every other session of the caller ends; this one and API keys stay.',
  })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 429)
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(principal, body.current_password, body.new_password);
  }

  @Get('auth/me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The calling user.' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors(401)
  me(@CurrentPrincipal() principal: Principal): MeResponse {
    return toMe({ id: principal.userId, email: principal.email, role: principal.role });
  }
}
