import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { AuthService } from './auth.service';

/** Same-origin API calls only: never send the token elsewhere. */
function isApiUrl(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//');
}

export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const token = auth.token();
  const request = token && isApiUrl(req.url) ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;
  return next(request).pipe(
    catchError((err: unknown) => {
      const isLogin = req.url.startsWith('/auth/login') || req.url.startsWith('/auth/logout');
      if (err instanceof HttpErrorResponse && err.status === 401 && !isLogin) {
        auth.clear();
        const returnUrl = router.url.startsWith('/app/login') ? undefined : router.url;
        void router.navigate(['/app/login'], { queryParams: returnUrl ? { returnUrl } : {} });
      }
      return throwError(() => err);
    }),
  );
};
