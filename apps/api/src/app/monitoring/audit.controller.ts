import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AuditRecordView } from '@seqpulse/contracts';
import { AdminOnly } from '../auth/decorators';
import { ApiErrors } from '../common/openapi';
import { AccessRecordsService } from './access-records.service';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT, AuditQuery, resolveAuditFilter } from './audit.dto';

class AuditRecordDto implements AuditRecordView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '2026-11-28T10:15:00Z', description: 'When the request arrived' }) at!: string;
  @ApiPropertyOptional({ nullable: true, description: 'The calling user (also set for API keys: the key owner)' }) user_id!: string | null;
  @ApiPropertyOptional({ nullable: true }) api_key_id!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The requested project_id when it was a well-formed id' }) project_id!: string | null;
  @ApiProperty({ example: 'GET /monitoring/enterprise/timeseries' }) route!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The query parameters as sent (strings cut at 200 characters)' })
  params!: Record<string, unknown>;
  @ApiProperty({ example: 200, description: 'Final HTTP status (499: the client left before any answer)' }) status!: number;
  @ApiPropertyOptional({ nullable: true }) client_ip!: string | null;
}

@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly records: AccessRecordsService) {}

  @Get()
  @ApiOperation({ summary: 'Access records of the realtime routes (refusals included), newest first.' })
  @ApiQuery({ name: 'project_id', required: false, description: 'Only this project' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO-8601 or Unix seconds; records at or after' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO-8601 or Unix seconds; records at or before' })
  @ApiQuery({ name: 'limit', required: false, description: `1..${AUDIT_MAX_LIMIT}, default ${AUDIT_DEFAULT_LIMIT}` })
  @ApiOkResponse({ type: [AuditRecordDto] })
  @ApiErrors(400, 401, 403)
  list(@Query() query: AuditQuery): Promise<AuditRecordView[]> {
    return this.records.list(resolveAuditFilter(query));
  }
}
