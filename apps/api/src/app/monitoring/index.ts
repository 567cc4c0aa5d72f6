export {
  EnterpriseRoute,
  EnterpriseEachProjectRoute,
  GatedProject,
  ENTERPRISE_GATE,
  ENTERPRISE_GATE_EACH,
  ENTERPRISE_PREFIX,
} from './enterprise-gate';
export type { GateContext } from './gate-context';
export { EnterpriseGateGuard } from './enterprise-gate.guard';
export { EnterpriseGateModule } from './enterprise-gate.module';
export { AccessRecordsService, recordProject } from './access-records.service';
export { AccessTrackingMiddleware } from './access-tracking.middleware';
