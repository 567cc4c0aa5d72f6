import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AlertHistoryEntry, AlertRulesResponse, AlertView } from '@seqpulse/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { EnterpriseRoute, GatedProject } from '../monitoring';
import type { ProjectEntity } from '../projects/project.entity';
import {
  AlertDto,
  AlertHistoryEntryDto,
  AlertHistoryQueryDto,
  AlertRulesDto,
  AlertRulesQueryDto,
  AlertsQueryDto,
  PutAlertRulesDto,
} from './alerts.dto';
import { AlertsService } from './alerts.service';

/** Alert history and rules of a monitored project, behind the Enterprise gate. */
@ApiTags('monitoring')
@Controller('monitoring/enterprise')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('alerts')
  @EnterpriseRoute()
  @ApiOperation({
    summary: 'Alert instances of the project, newest first: open ones and the history (start, end, the value that crossed, the threshold).',
  })
  @ApiOkResponse({ type: [AlertDto] })
  list(@GatedProject() project: ProjectEntity, @Query() query: AlertsQueryDto): Promise<AlertView[]> {
    return this.alerts.list(project.id, query);
  }

  @Get('alert-history')
  @EnterpriseRoute()
  @ApiOperation({
    summary:
      'Alert history with filters (rule, env, level, state, range; newest first, 100 by default): each alert with its level, silenced flag and timeline (opened, escalated, silenced, resolved, notifications sent).',
  })
  @ApiOkResponse({ type: [AlertHistoryEntryDto] })
  history(@GatedProject() project: ProjectEntity, @Query() query: AlertHistoryQueryDto): Promise<AlertHistoryEntry[]> {
    return this.alerts.history(project.id, query);
  }

  @Get('alert-rules')
  @EnterpriseRoute()
  @ApiOperation({ summary: 'The five built-in rules (project-wide, then per-env overrides) with their thresholds.' })
  @ApiOkResponse({ type: AlertRulesDto })
  rules(@GatedProject() project: ProjectEntity, @Query() query: AlertRulesQueryDto): Promise<AlertRulesResponse> {
    void query; // validated only: unknown parameters are refused
    return this.alerts.getRules(project);
  }

  @Put('alert-rules')
  @EnterpriseRoute('alerts:write')
  @ApiOperation({
    summary:
      'Replace the rule set (needs `alerts:write`). Ratios 0..1, latency > 0 ms, no_data 5..10 minutes; any invalid entry → 400 and nothing changes.',
  })
  @ApiOkResponse({ type: AlertRulesDto })
  putRules(
    @GatedProject() project: ProjectEntity,
    @CurrentPrincipal() principal: Principal,
    @Query() query: AlertRulesQueryDto,
    @Body() body: PutAlertRulesDto,
  ): Promise<AlertRulesResponse> {
    void query; // validated only: unknown parameters are refused
    return this.alerts.putRules(project, principal, body);
  }
}
