import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { METRIC_NAMES, METRICS, Plan } from '@seqpulse/contracts';

export type RefusalReason = 'plan_not_enterprise' | 'monitoring_not_enabled' | 'project_not_found';

/**
 * Why a project has no realtime charts, in words: instead of blank charts or a raw 403.
 */
@Component({
  selector: 'app-refusal',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card refusal" [attr.data-reason]="reason()" aria-labelledby="refusal-title">
      @switch (reason()) {
        @case ('plan_not_enterprise') {
          <h2 id="refusal-title">Realtime monitoring needs the Enterprise plan</h2>
          <p>
            <strong>{{ projectName() }}</strong> is on the <strong>{{ planLabel() }}</strong> plan. SeqPulse Realtime is part of Enterprise.
          </p>
          <h3>What Realtime gives you</h3>
          <ul>
            <li>Five live metrics collected every 15 seconds: {{ metricList }}.</li>
            <li>Deployments drawn on the charts, with pre- and post-deployment phases to compare.</li>
            <li>Alerts on error rate, latency, CPU, memory and missing data, as they fire.</li>
          </ul>
          <p>
            To turn it on, ask your SeqPulse account manager to move this project to Enterprise.
            @if (isAdmin()) {
              As an admin you can change the plan in <a routerLink="/app/admin/projects">Admin › Projects</a>.
            }
          </p>
        }
        @case ('monitoring_not_enabled') {
          <h2 id="refusal-title">Realtime is not enabled for this project yet</h2>
          <p>
            <strong>{{ projectName() }}</strong> is on Enterprise, and Realtime monitoring is being rolled out to Enterprise projects step
            by step. This project is not in the current rollout yet.
          </p>
          <p>There is nothing to do on your side: the charts will appear here as soon as it is enabled.</p>
          @if (isAdmin()) {
            <p>As an admin you can add it to the pilot in <a routerLink="/app/admin/rollout">Admin › Rollout</a>.</p>
          }
        }
        @default {
          <h2 id="refusal-title">Project not found</h2>
          <p>This project does not exist, or your account cannot see it.</p>
        }
      }
      <p><a routerLink="/app/projects">Back to projects</a></p>
    </section>
  `,
})
export class RefusalComponent {
  readonly reason = input.required<RefusalReason>();
  readonly projectName = input('This project');
  readonly plan = input<Plan | null>(null);
  readonly isAdmin = input(false);

  protected readonly planLabel = computed(() => {
    const plan = this.plan();
    return plan ? plan.charAt(0).toUpperCase() + plan.slice(1) : 'current';
  });
  protected readonly metricList = METRIC_NAMES.map((m) => METRICS[m].label).join(', ');
}
