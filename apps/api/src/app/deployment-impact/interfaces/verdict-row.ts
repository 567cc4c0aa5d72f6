import type { DeploymentImpact, Verdict, VerdictReason } from '@seqpulse/contracts';

/** One row of `deployment_verdicts`: the latest verdict of a deployment. */
export interface VerdictRow {
  deployment_id: string;
  project_id: string;
  verdict: Verdict;
  final: boolean;
  reasons: VerdictReason[];
  impact: DeploymentImpact;
  computed_at: Date;
  changed_at: Date;
}

/** A verdict as computed by a pass, before it is stored. */
export type ComputedVerdict = Omit<VerdictRow, 'changed_at'>;

/** A stored verdict after an upsert, with what it was before (null: first computation). */
export interface SavedVerdict extends VerdictRow {
  previous_verdict: Verdict | null;
  previous_final: boolean | null;
}
