import { describe, expect, it } from 'vitest';
import { forwardedFor, forwardedValue, trustedHops } from '../../src/handler/client-ip';

describe('forwarding headers', () => {
  it('are ignored unless a proxy is trusted', () => {
    expect(forwardedFor('203.0.113.9', trustedHops(false))).toBeNull();
    expect(forwardedFor('203.0.113.9', trustedHops(undefined))).toBeNull();
  });

  it('take the client address the trusted proxy appended, not what the client wrote before it', () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; our one proxy appended the real peer address.
    expect(forwardedFor('6.6.6.6, 203.0.113.9', trustedHops(true))).toBe('203.0.113.9');
    expect(forwardedFor('6.6.6.6, 203.0.113.9, 10.0.0.2', trustedHops(2))).toBe('203.0.113.9');
    expect(forwardedFor('203.0.113.9', trustedHops(3))).toBe('203.0.113.9');
  });

  it('read the scheme a trusted proxy set', () => {
    expect(forwardedValue('https', trustedHops(true))).toBe('https');
    expect(forwardedValue('http, https', 1)).toBe('https');
    expect(forwardedValue('https', 0)).toBeNull();
  });
});
