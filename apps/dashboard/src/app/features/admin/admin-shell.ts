import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

@Component({
  selector: 'app-admin-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1>Administration</h1>
      <nav class="tabs" aria-label="Administration">
        @for (t of tabs; track t.path) {
          <a [routerLink]="t.path" routerLinkActive="active" ariaCurrentWhenActive="page">{{ t.label }}</a>
        }
      </nav>
      <router-outlet />
    </section>
  `,
})
export class AdminShell {
  protected readonly tabs = [
    { path: 'projects', label: 'Projects & plans' },
    { path: 'users', label: 'Users' },
    { path: 'rollout', label: 'Rollout' },
    { path: 'keys', label: 'API keys' },
    { path: 'audit', label: 'Access records' },
    { path: 'health', label: 'Scheduler health' },
  ];
}
