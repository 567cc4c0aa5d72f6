import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NotificationDeliveryView, NotificationSettingsView } from '@seqpulse/contracts';
import { CurrentPrincipal, SessionOnly } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiErrors } from '../common/openapi';
import { uuidPipe } from '../common/uuid-pipe';
import { DeliveriesQueryDto, NotificationDeliveryDto, NotificationSettingsDto, UpdateNotificationSettingsDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

/** Where a project's alert notifications go (owner's dashboard session; admins may manage any project). */
@ApiTags('notifications')
@ApiBearerAuth()
@SessionOnly()
@Controller('projects/:id/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: "The project's alert notification targets (outgoing webhook, Slack-compatible webhook)." })
  @ApiOkResponse({ type: NotificationSettingsDto })
  @ApiErrors(401, 403, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuidPipe('project')) id: string): Promise<NotificationSettingsView> {
    return this.notifications.getSettings(principal, id);
  }

  @Put()
  @ApiOperation({
    summary:
      'Replace the notification targets. Each URL gets the same address checks as metrics endpoints (400 when refused); an absent or null field turns that channel off.',
  })
  @ApiOkResponse({ type: NotificationSettingsDto })
  @ApiErrors(400, 401, 403, 404)
  put(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('project')) id: string,
    @Body() body: UpdateNotificationSettingsDto,
  ): Promise<NotificationSettingsView> {
    return this.notifications.putSettings(principal, id, body);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'The notification outbox of the project, newest first, each delivery with every attempt and its status.' })
  @ApiOkResponse({ type: [NotificationDeliveryDto] })
  @ApiErrors(400, 401, 403, 404)
  deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('project')) id: string,
    @Query() query: DeliveriesQueryDto,
  ): Promise<NotificationDeliveryView[]> {
    return this.notifications.listDeliveries(principal, id, query.limit ?? 50);
  }
}
