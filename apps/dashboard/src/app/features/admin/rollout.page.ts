import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { AdminProjectView, RolloutStage } from '@seqpulse/contracts';
import { isApiError } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { ProjectsStore } from '../../core/projects.store';

@Component({
  selector: 'app-rollout-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="section-head"><h2>Realtime rollout</h2></div>
    @if (loading()) {
      <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading the rollout…</p>
    } @else if (error(); as err) {
      <p class="alert-box error" role="alert">{{ err }} <button type="button" class="btn btn-small" (click)="load()">Retry</button></p>
    } @else {
      <form class="card form" (submit)="save($event)" aria-label="Rollout">
        <fieldset class="field">
          <legend>Stage</legend>
          <label class="radio">
            <input type="radio" name="stage" value="pilot" [checked]="stage() === 'pilot'" (change)="stage.set('pilot')" />
            <span><strong>Pilot</strong> — only the enterprise projects listed below are monitored and served.</span>
          </label>
          <label class="radio">
            <input type="radio" name="stage" value="general" [checked]="stage() === 'general'" (change)="stage.set('general')" />
            <span><strong>General</strong> — every enterprise project is monitored.</span>
          </label>
        </fieldset>
        <fieldset class="field" [disabled]="stage() === 'general'">
          <legend>Pilot projects</legend>
          @if (enterprise().length === 0) {
            <p class="muted">No enterprise project exists yet.</p>
          }
          @for (p of enterprise(); track p.id) {
            <label class="check">
              <input
                type="checkbox"
                [checked]="pilot().has(p.id)"
                (change)="toggle(p.id, $any($event.target).checked)"
                [attr.data-project]="p.name"
              />
              <span>{{ p.name }}</span> <span class="muted small">({{ p.envs.join(', ') }})</span>
            </label>
          }
          @if (others().length) {
            <p class="muted small">Plans other than Enterprise cannot join the pilot: {{ others().join(', ') }}.</p>
          }
          @if (unknown().length) {
            <p class="muted small">Also listed (unknown or deleted projects): {{ unknown().join(', ') }}</p>
          }
        </fieldset>
        @if (message(); as msg) {
          <p class="alert-box {{ msg.tone }}" role="status">{{ msg.text }}</p>
        }
        <div class="actions">
          <button type="submit" class="btn btn-primary" [disabled]="saving() || !dirty()">
            {{ saving() ? 'Saving…' : 'Save rollout' }}
          </button>
          @if (dirty()) {
            <span class="muted small">Unsaved changes</span>
          }
        </div>
      </form>
    }
  `,
})
export class RolloutPage implements OnInit {
  private readonly api = inject(ApiService);
  private readonly store = inject(ProjectsStore);
  protected readonly projects = signal<AdminProjectView[]>([]);
  protected readonly stage = signal<RolloutStage>('pilot');
  protected readonly pilot = signal<Set<string>>(new Set());
  private readonly saved = signal<{ stage: RolloutStage; ids: string } | null>(null);
  protected readonly loading = signal(true);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly message = signal<{ tone: 'ok' | 'error'; text: string } | null>(null);

  protected readonly enterprise = computed(() => this.projects().filter((p) => p.plan === 'enterprise'));
  protected readonly others = computed(() =>
    this.projects()
      .filter((p) => p.plan !== 'enterprise')
      .map((p) => p.name),
  );
  protected readonly unknown = computed(() => {
    const known = new Set(this.projects().map((p) => p.id));
    return [...this.pilot()].filter((id) => !known.has(id));
  });
  protected readonly dirty = computed(() => {
    const s = this.saved();
    return !s || s.stage !== this.stage() || s.ids !== [...this.pilot()].sort().join(',');
  });

  ngOnInit(): void {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const [rollout, projects] = await Promise.all([this.api.getRollout(), this.api.listAllProjects()]);
      this.projects.set([...projects].sort((a, b) => a.name.localeCompare(b.name)));
      this.stage.set(rollout.stage);
      this.pilot.set(new Set(rollout.pilot_project_ids));
      this.saved.set({ stage: rollout.stage, ids: [...rollout.pilot_project_ids].sort().join(',') });
    } catch (err) {
      this.error.set(isApiError(err) ? err.message : 'The rollout could not be loaded.');
    } finally {
      this.loading.set(false);
    }
  }

  protected toggle(id: string, on: boolean): void {
    const next = new Set(this.pilot());
    if (on) next.add(id);
    else next.delete(id);
    this.pilot.set(next);
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    this.saving.set(true);
    this.message.set(null);
    try {
      const saved = await this.api.putRollout({ stage: this.stage(), pilot_project_ids: [...this.pilot()] });
      this.stage.set(saved.stage);
      this.pilot.set(new Set(saved.pilot_project_ids));
      this.saved.set({ stage: saved.stage, ids: [...saved.pilot_project_ids].sort().join(',') });
      this.store.reset();
      this.message.set({ tone: 'ok', text: 'Rollout saved. It applies at once.' });
    } catch (err) {
      this.message.set({ tone: 'error', text: isApiError(err) ? err.message : 'The rollout could not be saved.' });
    } finally {
      this.saving.set(false);
    }
  }
}
