import { describe, expect, it } from 'vitest';
import { cookieString, readCookie, YEAR } from './cookie';

describe('cookieString', () => {
  it('writes a first-party, SameSite=Lax cookie for a year', () => {
    expect(cookieString('vt_aid', 'a b;c')).toBe(`vt_aid=a%20b%3Bc;path=/;max-age=${YEAR};SameSite=Lax`);
    expect(YEAR).toBe(365 * 24 * 3600);
  });

  it('adds the domain and Secure when asked', () => {
    expect(cookieString('vt_uid', 'u', 'shop.example', true)).toBe(`vt_uid=u;path=/;max-age=${YEAR};SameSite=Lax;domain=shop.example;Secure`);
  });

  it('deletes with max-age=0', () => {
    expect(cookieString('vt_uid', null, 'shop.example')).toBe('vt_uid=;path=/;max-age=0;SameSite=Lax;domain=shop.example');
  });
});

describe('readCookie', () => {
  const jar = 'other=1; xvt_aid=wrong; vt_aid=a%20b%3Bc; vt_uid=user-1';

  it('finds a cookie by its exact name and decodes it', () => {
    expect(readCookie(jar, 'vt_aid')).toBe('a b;c');
    expect(readCookie(jar, 'vt_uid')).toBe('user-1');
    expect(readCookie('vt_uid=first', 'vt_uid')).toBe('first');
  });

  it('answers null for a missing cookie', () => {
    expect(readCookie(jar, 'vt_traits')).toBeNull();
    expect(readCookie('', 'vt_aid')).toBeNull();
  });
});
