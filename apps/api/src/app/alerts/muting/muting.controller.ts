import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MaintenanceWindowView, SilenceView } from '@seqpulse/contracts';
import { CurrentPrincipal } from '../../auth/decorators';
import type { Principal } from '../../auth/principal';
import { uuidPipe } from '../../common/uuid-pipe';
import { EnterpriseRoute, GatedProject } from '../../monitoring';
import type { ProjectEntity } from '../../projects/project.entity';
import { MaintenanceService } from './maintenance.service';
import {
  CreateMaintenanceWindowDto,
  CreateSilenceDto,
  MaintenanceListQueryDto,
  MaintenanceWindowDto,
  MutingQueryDto,
  resolveOccurrenceRange,
  SilenceDto,
} from './muting.dto';
import { SilencesService } from './silences.service';

/** Silences and maintenance windows of a monitored project, behind the Enterprise gate; writes need `alerts:write`. */
@ApiTags('monitoring')
@Controller('monitoring/enterprise')
export class MutingController {
  constructor(
    private readonly silences: SilencesService,
    private readonly maintenance: MaintenanceService,
  ) {}

  @Get('silences')
  @EnterpriseRoute()
  @ApiOperation({ summary: 'Silences of the project with their state (active, pending, expired, ended: ended early); current ones first.' })
  @ApiOkResponse({ type: [SilenceDto] })
  listSilences(@GatedProject() project: ProjectEntity, @Query() query: MutingQueryDto): Promise<SilenceView[]> {
    void query; // validated only: unknown parameters are refused
    return this.silences.list(project);
  }

  @Post('silences')
  @EnterpriseRoute('alerts:write')
  @ApiOperation({
    summary: 'Silence alerts of an env and/or rule for a period (needs `alerts:write`; at most 30 days: 400 `silence_too_long`).',
  })
  @ApiCreatedResponse({ type: SilenceDto })
  createSilence(
    @GatedProject() project: ProjectEntity,
    @CurrentPrincipal() principal: Principal,
    @Query() query: MutingQueryDto,
    @Body() body: CreateSilenceDto,
  ): Promise<SilenceView> {
    void query;
    return this.silences.create(project, principal, body);
  }

  @Delete('silences/:id')
  @EnterpriseRoute('alerts:write')
  @ApiOperation({ summary: 'End a silence now (needs `alerts:write`); returns it, `ended`, with who ended it.' })
  @ApiOkResponse({ type: SilenceDto })
  endSilence(
    @GatedProject() project: ProjectEntity,
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('Silence')) id: string,
    @Query() query: MutingQueryDto,
  ): Promise<SilenceView> {
    void query;
    return this.silences.end(project, principal, id);
  }

  @Get('maintenance-windows')
  @EnterpriseRoute()
  @ApiOperation({
    summary: 'Maintenance windows of the project with their next occurrences; with `from` and `to`, also every occurrence of that range.',
  })
  @ApiOkResponse({ type: [MaintenanceWindowDto] })
  listWindows(@GatedProject() project: ProjectEntity, @Query() query: MaintenanceListQueryDto): Promise<MaintenanceWindowView[]> {
    return this.maintenance.list(project, resolveOccurrenceRange(query));
  }

  @Post('maintenance-windows')
  @EnterpriseRoute('alerts:write')
  @ApiOperation({
    summary: 'One-off or recurring (RRULE in time_zone) maintenance: alerts are silenced during each occurrence (needs `alerts:write`).',
  })
  @ApiCreatedResponse({ type: MaintenanceWindowDto })
  createWindow(
    @GatedProject() project: ProjectEntity,
    @CurrentPrincipal() principal: Principal,
    @Query() query: MutingQueryDto,
    @Body() body: CreateMaintenanceWindowDto,
  ): Promise<MaintenanceWindowView> {
    void query;
    return this.maintenance.create(project, principal, body);
  }

  @Delete('maintenance-windows/:id')
  @HttpCode(204)
  @EnterpriseRoute('alerts:write')
  @ApiOperation({ summary: 'Delete a maintenance window and its occurrences (needs `alerts:write`).' })
  @ApiNoContentResponse()
  async deleteWindow(
    @GatedProject() project: ProjectEntity,
    @Param('id', uuidPipe('Maintenance window')) id: string,
    @Query() query: MutingQueryDto,
  ): Promise<void> {
    void query;
    await this.maintenance.remove(project, id);
  }
}
