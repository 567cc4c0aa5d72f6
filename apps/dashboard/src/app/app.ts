import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from './core/auth.service';
import { ProjectsStore } from './core/projects.store';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip-link" href="#main" (click)="skip($event)">Skip to content</a>
    <header class="topbar">
      <a class="brand" routerLink="/app/overview" aria-label="SeqPulse Realtime, overview">
        <span class="brand-mark" aria-hidden="true">◉</span> SeqPulse <span class="brand-sub">Realtime</span>
      </a>
      @if (auth.isSignedIn() && auth.user(); as user) {
        <nav class="topnav" aria-label="Main">
          <a routerLink="/app/overview" routerLinkActive="active" ariaCurrentWhenActive="page">Overview</a>
          <a routerLink="/app/projects" routerLinkActive="active" ariaCurrentWhenActive="page">Projects</a>
          <a routerLink="/app/keys" routerLinkActive="active" ariaCurrentWhenActive="page">API keys</a>
          @if (auth.isAdmin()) {
            <a routerLink="/app/admin" routerLinkActive="active" ariaCurrentWhenActive="page">Admin</a>
          }
        </nav>
        <div class="user">
          <a class="user-email" routerLink="/app/account" [title]="'Account of ' + user.email">{{ user.email }}</a>
          <span class="badge">{{ user.role }}</span>
          <button type="button" class="btn btn-ghost" (click)="signOut()">Sign out</button>
        </div>
      }
    </header>
    <main id="main" tabindex="-1">
      <router-outlet />
    </main>
  `,
})
export class App {
  protected readonly auth = inject(AuthService);
  private readonly projects = inject(ProjectsStore);
  private readonly router = inject(Router);

  protected skip(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }

  protected async signOut(): Promise<void> {
    await this.auth.logout();
    this.projects.reset();
    await this.router.navigate(['/app/login']);
  }
}
