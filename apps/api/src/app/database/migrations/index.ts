import { Foundation1764400000000 } from './1764400000000-foundation';
import { RealtimeStore1764400100000 } from './1764400100000-realtime-store';
import { AccessRecords1764400400000 } from './1764400400000-access-records';
import { SamplesRollups1764400410000 } from './1764400410000-samples-rollups';
import { RollupsCoveringKey1764400420000 } from './1764400420000-rollups-covering-key';
import { RollupsAsync1764400430000 } from './1764400430000-rollups-async';
import { Rollups15m1764400440000 } from './1764400440000-rollups-15m';
import { Alerts1764400500000 } from './1764400500000-alerts';
import { AlertsWindowIndex1764400510000 } from './1764400510000-alerts-window-index';
import { SamplesLeanWrite1764400600000 } from './1764400600000-samples-lean-write';
import { DeploymentVerdicts1764400700000 } from './1764400700000-deployment-verdicts';
import { WorkerTaskStats1764400900000 } from './1764400900000-worker-task-stats';
import { PublishedViews1764400900100 } from './1764400900100-published-views';
import { AccountLifecycle1764400950000 } from './1764400950000-account-lifecycle';
import { AlertingSettings1764401313000 } from './1764401313000-alerting-settings';
import { DeploymentSilence1764401400000 } from './1764401400000-deployment-silence';
import { SilenceEnded1764401450000 } from './1764401450000-silence-ended';
import { SamplesArchive1764401500000 } from './1764401500000-samples-archive';
import { PollLeases1764402000000 } from './1764402000000-poll-leases';
import { DemoMonitoring1764402100000 } from './1764402100000-demo-monitoring';

/** In order of application. A new migration is appended here. */
export const ALL_MIGRATIONS = [
  Foundation1764400000000,
  RealtimeStore1764400100000,
  AccessRecords1764400400000,
  SamplesRollups1764400410000,
  RollupsCoveringKey1764400420000,
  RollupsAsync1764400430000,
  Rollups15m1764400440000,
  Alerts1764400500000,
  AlertsWindowIndex1764400510000,
  SamplesLeanWrite1764400600000,
  DeploymentVerdicts1764400700000,
  WorkerTaskStats1764400900000,
  PublishedViews1764400900100,
  AccountLifecycle1764400950000,
  AlertingSettings1764401313000,
  DeploymentSilence1764401400000,
  SilenceEnded1764401450000,
  SamplesArchive1764401500000,
  PollLeases1764402000000,
  DemoMonitoring1764402100000,
];
