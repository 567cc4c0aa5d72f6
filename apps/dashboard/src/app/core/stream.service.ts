import { inject, Injectable } from '@angular/core';
import { Router } from '@angular/router';
import { StreamQuery } from '@seqpulse/contracts';
import { AuthService } from './auth.service';
import { toParams } from './api.service';
import { EventStreamClient, EventStreamOptions } from './event-stream';

/** Opens `GET /monitoring/enterprise/stream` with the session token. */
@Injectable({ providedIn: 'root' })
export class StreamService {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  open(query: StreamQuery, handlers: Pick<EventStreamOptions, 'onMessage' | 'onState' | 'onOpen'>): EventStreamClient {
    const url = `/monitoring/enterprise/stream?${toParams(query).toString()}`;
    const client = new EventStreamClient({
      url,
      token: () => this.auth.token(),
      onMessage: handlers.onMessage,
      onOpen: handlers.onOpen,
      onState: (state) => {
        if (state.status === 'refused' && state.error?.status === 401) {
          this.auth.clear();
          void this.router.navigate(['/app/login'], { queryParams: { returnUrl: this.router.url } });
        }
        handlers.onState?.(state);
      },
    });
    client.start();
    return client;
  }
}
