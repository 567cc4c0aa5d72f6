import { HttpErrorResponse } from '@angular/common/http';
import { fromStatusAndBody, toApiError } from './api-error';

describe('toApiError', () => {
  it('keeps the contract code and its message', () => {
    const err = new HttpErrorResponse({
      status: 403,
      error: { statusCode: 403, code: 'plan_not_enterprise', message: 'Upgrade', details: { plan: 'pro' } },
    });
    expect(toApiError(err)).toEqual({ status: 403, code: 'plan_not_enterprise', message: 'Upgrade', details: { plan: 'pro' } });
  });

  it('replaces raw messages by friendly ones for known codes', () => {
    expect(fromStatusAndBody(400, { statusCode: 400, code: 'range_too_large', message: 'points > 11000' }).message).toMatch(
      /too many points/,
    );
  });

  it('never shows a raw body for unknown shapes', () => {
    expect(fromStatusAndBody(502, '<html>Bad gateway</html>')).toMatchObject({ code: 'internal_error' });
    expect(fromStatusAndBody(0, null)).toMatchObject({ code: 'network_error' });
    expect(fromStatusAndBody(401, null)).toMatchObject({ code: 'unauthenticated' });
    expect(toApiError(new Error('boom')).message).not.toContain('boom');
  });
});
