import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

/** Signed-in users only; others go to the sign-in page and come back afterwards. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const me = await auth.loadMe();
  if (me) return true;
  auth.clear();
  return router.createUrlTree(['/app/login'], { queryParams: { returnUrl: state.url } });
};

/** Role `admin` only; members are sent to their projects. */
export const adminGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const me = await auth.loadMe();
  if (!me) return router.createUrlTree(['/app/login'], { queryParams: { returnUrl: state.url } });
  return me.role === 'admin' ? true : router.createUrlTree(['/app/projects']);
};

/** The sign-in page skips itself when a session already exists. */
export const signedOutGuard: CanActivateFn = async () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const me = await auth.loadMe();
  return me ? router.createUrlTree(['/app/overview']) : true;
};
