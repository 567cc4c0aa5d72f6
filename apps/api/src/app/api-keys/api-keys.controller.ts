import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiKeyView, CreatedApiKey } from '@seqpulse/contracts';
import { ApiErrors } from '../common/openapi';
import { CurrentPrincipal, SessionOnly } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyViewDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-keys.dto';
import { uuidPipe } from '../common/uuid-pipe';

@ApiTags('api-keys')
@ApiBearerAuth()
@SessionOnly()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create a scoped key; the clear key is in this response only.' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrors(400, 401, 403, 404)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto): Promise<CreatedApiKey> {
    return this.apiKeys.create(principal, body.name, body.scopes, body.project_ids);
  }

  @Get()
  @ApiOperation({ summary: 'Your keys, without their secrets.' })
  @ApiOkResponse({ type: [ApiKeyViewDto] })
  @ApiErrors(401, 403)
  list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyView[]> {
    return this.apiKeys.list(principal);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key; it fails from the very next request.' })
  @ApiErrors(400, 401, 403, 404)
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', uuidPipe('API key')) id: string): Promise<void> {
    return this.apiKeys.revoke(principal, id);
  }
}
