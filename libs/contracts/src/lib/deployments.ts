export interface TriggerDeploymentRequest {
  project_id: string;
  env: string;
  idempotency_key?: string;
  branch?: string;
}
export interface TriggerDeploymentResponse {
  deployment_id: string;
  status: 'created' | 'existing';
}
export const DEPLOYMENT_RESULTS = ['success', 'failed'] as const;
export type DeploymentResult = (typeof DEPLOYMENT_RESULTS)[number];
export interface FinishDeploymentRequest {
  deployment_id: string;
  result: DeploymentResult;
}
export interface FinishDeploymentResponse {
  status: 'accepted' | 'ignored' | 'not_found';
}
/** Minutes after a finished deployment during which samples are labelled `post`. */
export const POST_OBSERVATION_WINDOW_MIN_DEFAULT = 30;
