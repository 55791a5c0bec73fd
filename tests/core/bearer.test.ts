// bearerCredential: the one parser of `Authorization: Bearer …` behind the Worker's proxy and admin
// routes and the Prism service.
import { describe, expect, it } from 'vitest';
import { bearerCredential } from '../../src/core/kit.js';

describe('bearerCredential', () => {
  it.each([
    ['Bearer abc.DEF-_~+/=', 'abc.DEF-_~+/='],
    ['bearer k', 'k'],
    ['BEARER k', 'k'],
    ['Bearer    k', 'k'],
    ['Bearer k  ', 'k'],
    ['Bearer !"#$%&\'()*,:;<>?@[\\]^`{|}', '!"#$%&\'()*,:;<>?@[\\]^`{|}'],
  ])('%j → %j', (header, credential) => {
    expect(bearerCredential(header)).toBe(credential);
  });

  it.each([null, '', 'Bearer', 'Bearer ', 'Bearerk', 'Basic Zm9vOmJhcg==', ' Bearer k', 'Bearer\tk', 'Bearer a b', 'Bearer a, Bearer b', 'Bearer k\u00e9', 'Bearer k\u0000', 'Token Bearer k'])(
    'refuses %j',
    (header) => {
      expect(bearerCredential(header)).toBeUndefined();
    },
  );

  it('refuses a credential longer than maxLength, and takes one of exactly that length', () => {
    expect(bearerCredential(`Bearer ${'k'.repeat(512)}`, 512)).toBe('k'.repeat(512));
    expect(bearerCredential(`Bearer ${'k'.repeat(513)}`, 512)).toBeUndefined();
  });
});
