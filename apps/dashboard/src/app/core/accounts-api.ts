import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { AdminUserView, ChangePasswordRequest, CreateUserRequest, MeResponse, UpdateUserRequest } from '@seqpulse/contracts';
import { firstValueFrom, Observable } from 'rxjs';
import { toApiError } from './api-error';

/** The account lifecycle routes: my password and sessions, and (administrators) every account. Rejects with `ApiError`. */
@Injectable({ providedIn: 'root' })
export class AccountsApi {
  private readonly http = inject(HttpClient);

  private async call<T>(request: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request);
    } catch (err) {
      throw toApiError(err);
    }
  }

  changePassword(body: ChangePasswordRequest): Promise<unknown> {
    return this.call(this.http.post('/auth/password', body));
  }

  logoutAll(): Promise<unknown> {
    return this.call(this.http.post('/auth/logout-all', {}));
  }

  listUsers(): Promise<AdminUserView[]> {
    return this.call(this.http.get<AdminUserView[]>('/admin/users'));
  }

  createUser(body: CreateUserRequest): Promise<MeResponse> {
    return this.call(this.http.post<MeResponse>('/admin/users', body));
  }

  updateUser(id: string, body: UpdateUserRequest): Promise<AdminUserView> {
    return this.call(this.http.patch<AdminUserView>(`/admin/users/${encodeURIComponent(id)}`, body));
  }

  deleteUser(id: string): Promise<unknown> {
    return this.call(this.http.delete(`/admin/users/${encodeURIComponent(id)}`));
  }

  resetPassword(id: string, newPassword: string): Promise<unknown> {
    return this.call(this.http.post(`/admin/users/${encodeURIComponent(id)}/password`, { new_password: newPassword }));
  }
}
