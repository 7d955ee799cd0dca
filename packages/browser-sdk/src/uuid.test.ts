import { describe, expect, it } from 'vitest';
import { uuid } from './uuid';

describe('uuid', () => {
  it('makes RFC 4122 version 4 ids', () => {
    for (let i = 0; i < 200; i++) expect(uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('does not repeat itself', () => {
    expect(new Set(Array.from({ length: 2000 }, uuid)).size).toBe(2000);
  });
});
