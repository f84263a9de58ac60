import { describe, expect, it } from 'vitest';
import { fieldErrors } from './fieldErrors';

describe('fieldErrors', () => {
  it('maps the API error body to form fields', () => {
    expect(
      fieldErrors({ detail: 'x', errors: { password: ['太短 / too short'], token: ['过期'] } }),
    ).toEqual([
      { name: 'password', errors: ['太短 / too short'] },
      { name: 'token', errors: ['过期'] },
    ]);
  });

  it('ignores bodies without field errors', () => {
    expect(fieldErrors({ detail: 'x' })).toEqual([]);
    expect(fieldErrors(null)).toEqual([]);
    expect(fieldErrors({ errors: 'nope' })).toEqual([]);
  });
});
