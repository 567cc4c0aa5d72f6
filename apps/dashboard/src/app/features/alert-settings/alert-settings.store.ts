import { computed, inject, Injectable, signal } from '@angular/core';
import {
  AlertRuleName,
  CreateMaintenanceWindowRequest,
  CreateSilenceRequest,
  MaintenanceWindowView,
  NotificationSettingsView,
  SilenceView,
  UpdateNotificationSettingsRequest,
} from '@seqpulse/contracts';
import { ApiError } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { ProjectsStore } from '../../core/projects.store';
import { draftKey, DraftProblems, draftProblems, RuleDraft, serverProblems, toDrafts, toRuleSet, toUpdate } from './rule-form';

/** A write refused for lack of scope: the page turns read-only (an API key or a role without `alerts:write`). */
const READ_ONLY_CODES = new Set(['insufficient_scope']);

export type WritePart = 'silences' | 'windows' | 'notifications';

/**
 * State of the alert settings page of one project: the rule set being edited (drafts, client-side problems and
 * the server's), the silences, the maintenance windows and the notification options. Each part loads and fails
 * on its own, so a project without notification access still edits its rules.
 */
@Injectable()
export class AlertSettingsStore {
  private readonly api = inject(ApiService);
  readonly projects = inject(ProjectsStore);

  readonly projectId = signal<string | null>(null);
  readonly project = computed(() => this.projects.projects()?.find((p) => p.id === this.projectId()) ?? null);
  readonly envs = computed(() => this.project()?.envs ?? []);
  /**
   * A dashboard session may change the alerting of every project it sees (docs/security.md, roles), so the page
   * starts editable; a write the server refuses with `insufficient_scope` turns it read-only.
   */
  readonly readOnly = signal(false);

  // ---- rules ----
  readonly drafts = signal<RuleDraft[]>([]);
  private readonly saved = signal<string>('[]');
  readonly rulesLoading = signal(false);
  readonly rulesError = signal<ApiError | null>(null);
  readonly saving = signal(false);
  readonly saveError = signal<ApiError | null>(null);
  readonly savedAt = signal<number | null>(null);
  private readonly server = signal<Map<string, DraftProblems>>(new Map());
  /** Problems per draft: the client's checks, else what the server said about that draft at the last save. */
  readonly problems = computed(() => {
    const out = new Map<string, DraftProblems>();
    for (const d of this.drafts()) {
      const own = draftProblems(d);
      const fromServer = this.server().get(draftKey(d));
      if (Object.keys(own).length) out.set(draftKey(d), own);
      else if (fromServer) out.set(draftKey(d), fromServer);
    }
    return out;
  });
  readonly valid = computed(() => [...this.problems().values()].every((p) => Object.keys(p).length === 0));
  readonly dirty = computed(() => JSON.stringify(this.drafts()) !== this.saved());

  // ---- silences and maintenance windows ----
  readonly silences = signal<SilenceView[] | null>(null);
  readonly silencesError = signal<ApiError | null>(null);
  readonly windows = signal<MaintenanceWindowView[] | null>(null);
  readonly windowsError = signal<ApiError | null>(null);

  // ---- notification options ----
  readonly notifications = signal<NotificationSettingsView | null>(null);
  readonly notificationsError = signal<ApiError | null>(null);
  readonly notificationsSaved = signal(false);

  /** The write under way (one at a time per part) and the server's refusal of the last write of each part. */
  readonly busy = signal<WritePart | null>(null);
  readonly writeErrors = signal<Partial<Record<WritePart, ApiError>>>({});

  /** Loads every part of the page for `projectId`. */
  async load(projectId: string): Promise<void> {
    this.projectId.set(projectId);
    await Promise.all([this.projects.load(), this.loadRules(), this.loadSilences(), this.loadWindows(), this.loadNotifications()]);
  }

  async loadRules(): Promise<void> {
    const id = this.projectId();
    if (!id) return;
    this.rulesLoading.set(true);
    this.rulesError.set(null);
    try {
      this.setDrafts(toDrafts((await this.api.alertRules(id)).rules));
    } catch (err) {
      this.rulesError.set(err as ApiError);
    } finally {
      this.rulesLoading.set(false);
    }
  }

  private setDrafts(drafts: RuleDraft[]): void {
    this.drafts.set(drafts);
    this.saved.set(JSON.stringify(drafts));
    this.server.set(new Map());
  }

  updateDraft(key: string, patch: Partial<RuleDraft>): void {
    this.drafts.update((list) => list.map((d) => (draftKey(d) === key ? { ...d, ...patch } : d)));
    this.savedAt.set(null);
  }

  /** An env override starts as a copy of the project-wide rule; removing it makes the env follow that rule again. */
  setOverride(rule: AlertRuleName, env: string, on: boolean): void {
    const key = draftKey({ rule, env });
    this.drafts.update((list) => {
      const without = list.filter((d) => draftKey(d) !== key);
      if (!on) return without;
      const base = list.find((d) => d.env === null && d.rule === rule);
      return base ? [...without, { ...base, env }] : without;
    });
    this.savedAt.set(null);
  }

  discard(): void {
    this.setDrafts(JSON.parse(this.saved()) as RuleDraft[]);
    this.saveError.set(null);
  }

  /** Sends the whole rule set; a 400 maps its `details.fields` back onto the drafts. */
  async saveRules(): Promise<boolean> {
    const id = this.projectId();
    if (!id || !this.valid() || this.readOnly()) return false;
    const sent = toRuleSet(this.drafts());
    this.saving.set(true);
    this.saveError.set(null);
    try {
      const answer = await this.api.putAlertRules(id, { rules: sent.map(toUpdate) });
      this.setDrafts(toDrafts(answer.rules));
      this.savedAt.set(Date.now());
      return true;
    } catch (err) {
      const e = err as ApiError;
      this.refused(e);
      this.saveError.set(e);
      this.server.set(serverProblems(e, sent));
      return false;
    } finally {
      this.saving.set(false);
    }
  }

  async loadSilences(): Promise<void> {
    const id = this.projectId();
    if (!id) return;
    this.silencesError.set(null);
    try {
      this.silences.set(await this.api.silences(id));
    } catch (err) {
      this.silencesError.set(err as ApiError);
    }
  }

  /** Creates a silence; resolves to the server's error (shown by the form) or null. */
  createSilence(body: CreateSilenceRequest): Promise<ApiError | null> {
    return this.write('silences', async (id) => {
      await this.api.createSilence(id, body);
      await this.loadSilences();
    });
  }

  endSilence(silenceId: string): Promise<ApiError | null> {
    return this.write('silences', async (id) => {
      const ended = await this.api.endSilence(id, silenceId);
      this.silences.update((list) => (list ?? []).map((s) => (s.id === ended.id ? ended : s)));
    });
  }

  async loadWindows(): Promise<void> {
    const id = this.projectId();
    if (!id) return;
    this.windowsError.set(null);
    try {
      this.windows.set(await this.api.maintenanceWindows(id));
    } catch (err) {
      this.windowsError.set(err as ApiError);
    }
  }

  createWindow(body: CreateMaintenanceWindowRequest): Promise<ApiError | null> {
    return this.write('windows', async (id) => {
      const created = await this.api.createMaintenanceWindow(id, body);
      this.windows.update((list) => [created, ...(list ?? [])]);
    });
  }

  deleteWindow(windowId: string): Promise<ApiError | null> {
    return this.write('windows', async (id) => {
      await this.api.deleteMaintenanceWindow(id, windowId);
      this.windows.update((list) => (list ?? []).filter((w) => w.id !== windowId));
    });
  }

  async loadNotifications(): Promise<void> {
    const id = this.projectId();
    if (!id) return;
    this.notificationsError.set(null);
    try {
      this.notifications.set(await this.api.notificationSettings(id));
    } catch (err) {
      this.notificationsError.set(err as ApiError);
    }
  }

  saveNotifications(body: UpdateNotificationSettingsRequest): Promise<ApiError | null> {
    this.notificationsSaved.set(false);
    return this.write('notifications', async (id) => {
      this.notifications.set(await this.api.putNotificationSettings(id, body));
      this.notificationsSaved.set(true);
    });
  }

  /** One write of a part; its refusal is kept for that part's form (and returned). */
  private async write(part: WritePart, run: (projectId: string) => Promise<void>): Promise<ApiError | null> {
    const id = this.projectId();
    if (!id || this.readOnly()) return null;
    this.busy.set(part);
    this.writeErrors.update((all) => ({ ...all, [part]: undefined }));
    try {
      await run(id);
      return null;
    } catch (err) {
      this.refused(err as ApiError);
      this.writeErrors.update((all) => ({ ...all, [part]: err as ApiError }));
      return err as ApiError;
    } finally {
      this.busy.set(null);
    }
  }

  private refused(err: ApiError): void {
    if (err.status === 403 && READ_ONLY_CODES.has(err.code)) this.readOnly.set(true);
  }
}
