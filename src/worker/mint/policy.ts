// What a profile grants: scopes within its list (never more than asked, never more than allowed) and
// a lifetime within its maximum.
import { SCOPE_TOKEN } from '../config/schema.js';
import type { Profile } from '../config/parse.js';
import { problem } from '../http/problem.js';

/** The scope to grant: the request's (space-separated, each allowed) or the profile's default. */
export function grantScope(requested: string | undefined, profile: Profile): string {
  if (requested === undefined) return profile.defaultScope;
  const tokens = requested.split(' ');
  if (tokens.some((token) => !SCOPE_TOKEN.test(token))) throw problem('invalid_scope', { detail: 'Scopes are separated by single spaces.' });
  if (tokens.some((token) => !profile.scopes.includes(token))) throw problem('invalid_scope');
  return [...new Set(tokens)].join(' ');
}

/** Is every scope of `granted` (space-separated) in `allowed`? */
export function isSubScope(granted: string, allowed: string): boolean {
  const set = new Set(allowed.split(' '));
  return granted.split(' ').filter(Boolean).every((scope) => set.has(scope));
}

/** The lifetime to grant in seconds: the request's, at most the profile's maximum (which is the default). */
export function grantExpiresIn(requested: number | undefined, profile: Profile): number {
  return Math.min(requested ?? profile.maxExpiresIn, profile.maxExpiresIn);
}
