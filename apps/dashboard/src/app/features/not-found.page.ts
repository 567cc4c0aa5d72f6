import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-not-found',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <h1>Page not found</h1>
      <p>This address does not match any screen of the dashboard.</p>
      <p><a routerLink="/app/projects">Go to your projects</a></p>
    </section>
  `,
})
export class NotFoundPage {}
