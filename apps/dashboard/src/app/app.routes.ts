import { Route } from '@angular/router';
import { adminGuard, authGuard, signedOutGuard } from './core/auth.guard';

/**
 * Client-side routes live under `/app/…`: the API answers at the root of the same port,
 * so `/projects`, `/admin`, … belong to it (docs/api.md, "Conventions").
 */
export const appRoutes: Route[] = [
  { path: '', pathMatch: 'full', redirectTo: 'app/overview' },
  { path: 'app', pathMatch: 'full', redirectTo: 'app/overview' },
  {
    path: 'app/login',
    title: 'Sign in · SeqPulse',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./features/login/login.page').then((m) => m.LoginPage),
  },
  {
    path: 'app/overview',
    title: 'Overview · SeqPulse',
    canActivate: [authGuard],
    loadComponent: () => import('./features/overview/overview.page').then((m) => m.OverviewPage),
  },
  {
    path: 'app/projects',
    title: 'Projects · SeqPulse',
    canActivate: [authGuard],
    loadComponent: () => import('./features/projects/projects.page').then((m) => m.ProjectsPage),
  },
  {
    path: 'app/projects/:id',
    title: 'Monitoring · SeqPulse',
    canActivate: [authGuard],
    loadComponent: () => import('./features/monitoring/monitoring.page').then((m) => m.MonitoringPage),
  },
  {
    path: 'app/projects/:id/alert-settings',
    title: 'Alert settings · SeqPulse',
    canActivate: [authGuard],
    loadComponent: () => import('./features/alert-settings/alert-settings.page').then((m) => m.AlertSettingsPage),
  },
  {
    path: 'app/projects/:id/alerts',
    title: 'Alert history · SeqPulse',
    canActivate: [authGuard],
    loadComponent: () => import('./features/alert-history/alert-history.page').then((m) => m.AlertHistoryPage),
  },
  {
    path: 'app/keys',
    title: 'API keys · SeqPulse',
    canActivate: [authGuard],
    loadComponent: () => import('./features/api-keys/api-keys.page').then((m) => m.ApiKeysPage),
  },
  {
    path: 'app/account',
    title: 'Account · SeqPulse',
    canActivate: [authGuard],
    loadComponent: () => import('./features/account/account.page').then((m) => m.AccountPage),
  },
  {
    path: 'app/admin',
    canActivate: [adminGuard],
    loadChildren: () => import('./features/admin/admin.routes').then((m) => m.adminRoutes),
  },
  {
    path: '**',
    title: 'Not found · SeqPulse',
    loadComponent: () => import('./features/not-found.page').then((m) => m.NotFoundPage),
  },
];
