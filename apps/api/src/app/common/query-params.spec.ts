import type { ArgumentMetadata } from '@nestjs/common';
import { QueryParam, QueryParams, oneOf, parseInstant } from './query-params';
import { contractValidationPipe } from './validation';

describe('parseInstant', () => {
  it.each([
    ['2026-11-28T10:15:00Z', Date.UTC(2026, 10, 28, 10, 15, 0)],
    ['2026-11-28T10:15Z', Date.UTC(2026, 10, 28, 10, 15, 0)],
    ['2026-11-28T10:15:00.250Z', Date.UTC(2026, 10, 28, 10, 15, 0, 250)],
    ['2026-11-28T11:15:00+01:00', Date.UTC(2026, 10, 28, 10, 15, 0)],
    ['2026-11-28T05:45:00-0430', Date.UTC(2026, 10, 28, 10, 15, 0)],
    ['2026-11-28', Date.UTC(2026, 10, 28)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['1795860900', 1795860900_000],
    ['1795860900.5', 1795860900_500],
    ['0', 0],
  ])('accepts %s', (input, expected) => {
    expect(parseInstant('from', input)).toBe(expected);
  });

  it.each([
    '',
    ' ',
    'yesterday',
    'now',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-11-28T24:00:00Z',
    '2026-11-28T10:60:00Z',
    '2026-11-28T10:15:00',
    '2026-11-28 10:15:00Z',
    '2026-11-28T10:15:00+25:00',
    '1e9',
    '-5',
    '+5',
    '0x10',
    '1795860900000000',
    "1' OR '1'='1",
    '2026-11-28T10:15:00Z; DROP TABLE samples',
    '1969-12-31T23:59:59Z',
    '10000-01-01T00:00:00Z',
  ])('refuses %j with 400 validation_failed', (input) => {
    expect(() => parseInstant('from', input)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('refuses arrays and objects (repeated or nested query parameters)', () => {
    expect(() => parseInstant('to', ['1', '2'])).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    expect(() => parseInstant('to', { a: '1' })).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

class ExampleQuery extends QueryParams {
  @QueryParam(oneOf(['a', 'b'])) kind?: string;
  @QueryParam() note?: string;
}

describe('query DTOs through the global validation pipe', () => {
  const pipe = contractValidationPipe();
  const metadata: ArgumentMetadata = { type: 'query', metatype: ExampleQuery };
  const refusal = async (query: Record<string, unknown>) => {
    try {
      await pipe.transform(query, metadata);
    } catch (e) {
      return (e as { getResponse(): { code: string; message: string; details: unknown } }).getResponse();
    }
    throw new Error('expected a refusal');
  };

  it('accepts known parameters, given or absent', async () => {
    expect(await pipe.transform({ kind: 'a', note: 'x' }, metadata)).toEqual({ kind: 'a', note: 'x' });
    expect(await pipe.transform({}, metadata)).toEqual({});
  });

  it('refuses unknown parameters first, naming them (cut at 40 characters)', async () => {
    const long = 'x'.repeat(50);
    expect(await refusal({ kind: 'zzz', size: '1', [long]: '2' })).toEqual({
      statusCode: 400,
      code: 'validation_failed',
      message: `Unknown query parameters: size, ${'x'.repeat(40)}.`,
      details: {
        fields: [
          { field: 'size', problems: ['unknown parameter'] },
          { field: 'x'.repeat(40), problems: ['unknown parameter'] },
        ],
      },
    });
  });

  it('refuses a repeated parameter and a bad value with the field and the problem', async () => {
    expect(await refusal({ note: ['1', '2'] })).toEqual({
      statusCode: 400,
      code: 'validation_failed',
      message: 'Invalid request: note must be given once, as a plain value.',
      details: { fields: [{ field: 'note', problems: ['note must be given once, as a plain value'] }] },
    });
    expect(await refusal({ kind: '' })).toMatchObject({ message: 'Invalid request: kind must be one of a, b.' });
  });
});
