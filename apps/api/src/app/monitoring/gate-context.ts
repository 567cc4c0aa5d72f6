import type { ProjectEntity } from '../projects/project.entity';

/** What the gate leaves on the request for the handler. */
export interface GateContext {
  project: ProjectEntity;
}

export const GATE_CONTEXT = Symbol('seqpulse:gate-context');
