import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { DeploymentSummary } from '@seqpulse/contracts';
import { formatDateTime } from '../../core/format';
import { deploymentName, VERDICT_LABELS, verdictState } from './deployment-regions';

/** The deployments of the view, newest first, with their verdicts; a click opens one's comparison. */
@Component({
  selector: 'app-deployments-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card deployments-panel" aria-labelledby="deployments-title">
      <h2 id="deployments-title">
        Deployments
        @if (env()) {
          <span class="muted">· {{ env() }}</span>
        }
      </h2>
      @if (loading() && deployments().length === 0) {
        <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading deployments…</p>
      } @else if (error()) {
        <p class="alert-box error" role="alert">{{ error() }}</p>
      } @else if (deployments().length === 0) {
        <p class="muted small">No deployment in this range.</p>
      } @else {
        <ul class="deployment-list" aria-label="Deployments, newest first" aria-live="polite">
          @for (row of rows(); track row.id) {
            <li>
              <button
                type="button"
                class="deployment-item verdict-{{ row.state }}"
                [class.selected]="row.id === selectedId()"
                [attr.aria-pressed]="row.id === selectedId()"
                (click)="deploymentSelect.emit(row.id)"
              >
                <span class="deployment-line">
                  <span class="deployment-name">{{ row.name }}</span>
                  <span class="verdict-badge verdict-{{ row.state }}">{{ row.verdict }}</span>
                </span>
                <span class="muted small">{{ row.when }} · {{ row.result }}{{ row.final }}</span>
              </button>
            </li>
          }
        </ul>
      }
    </section>
  `,
})
export class DeploymentsPanelComponent {
  readonly deployments = input<readonly DeploymentSummary[]>([]);
  readonly selectedId = input<string | null>(null);
  readonly env = input<string | null>(null);
  readonly loading = input(false);
  readonly error = input<string | null>(null);
  readonly deploymentSelect = output<string>();

  protected readonly rows = computed(() =>
    this.deployments().map((d) => {
      const state = verdictState(d);
      return {
        id: d.deployment_id,
        name: deploymentName(d),
        state,
        verdict: VERDICT_LABELS[state],
        when: formatDateTime(d.started_at),
        result: d.result ?? (d.finished_at ? 'finished' : 'running'),
        final: d.verdict === null ? '' : d.verdict_final ? ' · final' : ' · window open',
      };
    }),
  );
}
