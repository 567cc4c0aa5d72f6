import { Route } from '@angular/router';
import { AdminShell } from './admin-shell';

export const adminRoutes: Route[] = [
  {
    path: '',
    component: AdminShell,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'projects' },
      {
        path: 'projects',
        title: 'Admin · Projects · SeqPulse',
        loadComponent: () => import('./admin-projects.page').then((m) => m.AdminProjectsPage),
      },
      {
        path: 'users',
        title: 'Admin · Users · SeqPulse',
        loadComponent: () => import('./users.page').then((m) => m.UsersPage),
      },
      {
        path: 'rollout',
        title: 'Admin · Rollout · SeqPulse',
        loadComponent: () => import('./rollout.page').then((m) => m.RolloutPage),
      },
      {
        path: 'keys',
        title: 'Admin · API keys · SeqPulse',
        data: { embedded: true },
        loadComponent: () => import('../api-keys/api-keys.page').then((m) => m.ApiKeysPage),
      },
      {
        path: 'audit',
        title: 'Admin · Access records · SeqPulse',
        loadComponent: () => import('./audit.page').then((m) => m.AuditPage),
      },
      {
        path: 'health',
        title: 'Admin · Scheduler health · SeqPulse',
        loadComponent: () => import('./scheduler-health.page').then((m) => m.SchedulerHealthPage),
      },
    ],
  },
];
