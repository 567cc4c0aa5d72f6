import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  AdminProjectView,
  AlertHistoryEntry,
  AlertRulesResponse,
  AlertsQuery,
  AlertView,
  ApiKeyView,
  AuditQuery,
  AuditRecordView,
  CreateApiKeyRequest,
  CreatedApiKey,
  CreateMaintenanceWindowRequest,
  CreateSilenceRequest,
  DeploymentDetail,
  DeploymentListResponse,
  MaintenanceWindowView,
  NotificationSettingsView,
  OverviewResponse,
  Plan,
  ProjectView,
  PutAlertRulesRequest,
  RolloutView,
  SchedulerHealthView,
  SilenceView,
  TimeseriesQuery,
  TimeseriesResponse,
  UpdateNotificationSettingsRequest,
  UpdateRolloutRequest,
} from '@seqpulse/contracts';
import { firstValueFrom, Observable } from 'rxjs';
import { toApiError } from './api-error';

type QueryValue = string | number | boolean | null | undefined;

export function toParams(query: object): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query as Record<string, QueryValue>)) {
    if (value !== undefined && value !== null && value !== '') params = params.set(key, String(value));
  }
  return params;
}

/**
 * Typed client of the public REST contract (same origin, paths at the root).
 * Every method rejects with an `ApiError`, never with a raw HTTP error.
 */
@Injectable({ providedIn: 'root' })
export class ApiService {
  private readonly http = inject(HttpClient);

  private async call<T>(request: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request);
    } catch (err) {
      throw toApiError(err);
    }
  }

  /** Projects the caller owns (members) or every project (admins, with owner). */
  listProjects(asAdmin: boolean): Promise<ProjectView[]> {
    return this.call(this.http.get<ProjectView[]>(asAdmin ? '/admin/projects' : '/projects'));
  }

  listAllProjects(): Promise<AdminProjectView[]> {
    return this.call(this.http.get<AdminProjectView[]>('/admin/projects'));
  }

  setPlan(projectId: string, plan: Plan): Promise<ProjectView> {
    return this.call(this.http.put<ProjectView>(`/admin/projects/${encodeURIComponent(projectId)}/plan`, { plan }));
  }

  getRollout(): Promise<RolloutView> {
    return this.call(this.http.get<RolloutView>('/admin/rollout'));
  }

  putRollout(body: UpdateRolloutRequest): Promise<RolloutView> {
    return this.call(this.http.put<RolloutView>('/admin/rollout', body));
  }

  listApiKeys(): Promise<ApiKeyView[]> {
    return this.call(this.http.get<ApiKeyView[]>('/api-keys'));
  }

  createApiKey(body: CreateApiKeyRequest): Promise<CreatedApiKey> {
    return this.call(this.http.post<CreatedApiKey>('/api-keys', body));
  }

  revokeApiKey(id: string): Promise<unknown> {
    return this.call(this.http.delete(`/api-keys/${encodeURIComponent(id)}`));
  }

  audit(query: AuditQuery): Promise<AuditRecordView[]> {
    return this.call(this.http.get<AuditRecordView[]>('/admin/audit', { params: toParams(query) }));
  }

  /** A degraded scheduler may answer 503 with the same body: that is data, not an error. */
  async schedulerHealth(): Promise<SchedulerHealthView> {
    try {
      return await firstValueFrom(this.http.get<SchedulerHealthView>('/health/scheduler'));
    } catch (err) {
      const body = err instanceof HttpErrorResponse ? (err.error as Partial<SchedulerHealthView> | null) : null;
      if (body && typeof body === 'object' && body.jobs && body.status) return body as SchedulerHealthView;
      throw toApiError(err);
    }
  }

  timeseries(query: TimeseriesQuery): Promise<TimeseriesResponse> {
    return this.call(this.http.get<TimeseriesResponse>('/monitoring/enterprise/timeseries', { params: toParams(query) }));
  }

  alerts(query: AlertsQuery): Promise<AlertView[]> {
    return this.call(this.http.get<AlertView[]>('/monitoring/enterprise/alerts', { params: toParams(query) }));
  }

  /** Every visible project at a glance (one request for the overview page). */
  overview(): Promise<OverviewResponse> {
    return this.call(this.http.get<OverviewResponse>('/monitoring/enterprise/overview'));
  }

  /** Deployments of a project (one env or all) that started in the range, newest first, with their verdicts. */
  deployments(query: { project_id: string; env?: string; from?: string; to?: string; limit?: number }): Promise<DeploymentListResponse> {
    return this.call(this.http.get<DeploymentListResponse>('/monitoring/enterprise/deployments', { params: toParams(query) }));
  }

  /** One deployment with its impact (pre/post windows per metric) and its verdict with the reasons. */
  deployment(id: string): Promise<DeploymentDetail> {
    return this.call(this.http.get<DeploymentDetail>(`/deployments/${encodeURIComponent(id)}`));
  }

  alertRules(projectId: string): Promise<AlertRulesResponse> {
    return this.call(
      this.http.get<AlertRulesResponse>('/monitoring/enterprise/alert-rules', {
        params: toParams({ project_id: projectId }),
      }),
    );
  }

  putAlertRules(projectId: string, body: PutAlertRulesRequest): Promise<AlertRulesResponse> {
    return this.call(
      this.http.put<AlertRulesResponse>('/monitoring/enterprise/alert-rules', body, { params: toParams({ project_id: projectId }) }),
    );
  }

  /** Alerts of a project with their timelines (`rule`, `env`, `level`, `state`, `from`/`to` = active in the range). */
  alertHistory(query: { project_id: string } & Record<string, string | number>): Promise<AlertHistoryEntry[]> {
    return this.call(this.http.get<AlertHistoryEntry[]>('/monitoring/enterprise/alert-history', { params: toParams(query) }));
  }

  silences(projectId: string): Promise<SilenceView[]> {
    return this.call(this.http.get<SilenceView[]>('/monitoring/enterprise/silences', { params: toParams({ project_id: projectId }) }));
  }

  createSilence(projectId: string, body: CreateSilenceRequest): Promise<SilenceView> {
    return this.call(this.http.post<SilenceView>('/monitoring/enterprise/silences', body, { params: toParams({ project_id: projectId }) }));
  }

  /** Ends a silence now; the answer is the silence, `ended`, with who ended it. */
  endSilence(projectId: string, id: string): Promise<SilenceView> {
    return this.call(
      this.http.delete<SilenceView>(`/monitoring/enterprise/silences/${encodeURIComponent(id)}`, {
        params: toParams({ project_id: projectId }),
      }),
    );
  }

  /** With `range` (ISO instants), each window also lists its occurrences in it (`occurrences`), past ones included. */
  maintenanceWindows(projectId: string, range?: { from: string; to: string }): Promise<MaintenanceWindowView[]> {
    return this.call(
      this.http.get<MaintenanceWindowView[]>('/monitoring/enterprise/maintenance-windows', {
        params: toParams({ project_id: projectId, ...range }),
      }),
    );
  }

  createMaintenanceWindow(projectId: string, body: CreateMaintenanceWindowRequest): Promise<MaintenanceWindowView> {
    return this.call(
      this.http.post<MaintenanceWindowView>('/monitoring/enterprise/maintenance-windows', body, {
        params: toParams({ project_id: projectId }),
      }),
    );
  }

  deleteMaintenanceWindow(projectId: string, id: string): Promise<unknown> {
    return this.call(
      this.http.delete(`/monitoring/enterprise/maintenance-windows/${encodeURIComponent(id)}`, {
        params: toParams({ project_id: projectId }),
      }),
    );
  }

  notificationSettings(projectId: string): Promise<NotificationSettingsView> {
    return this.call(this.http.get<NotificationSettingsView>(`/projects/${encodeURIComponent(projectId)}/notifications`));
  }

  /** Replaces the whole settings: an absent field goes back to its default (a URL absent = that channel off). */
  putNotificationSettings(projectId: string, body: UpdateNotificationSettingsRequest): Promise<NotificationSettingsView> {
    return this.call(this.http.put<NotificationSettingsView>(`/projects/${encodeURIComponent(projectId)}/notifications`, body));
  }
}
