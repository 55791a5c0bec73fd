// The rows of the fault matrix: every generic OAuth 2 flow (written here) and every provider's flows
// (derived from the descriptors and their emulators' entries), built on the planted credentials against
// their emulator. Each row says where its success body keeps the token, its lifetime and its type (a
// provider's: as its emulator entry's `tokenAnswers` say), so that a fault can break exactly that field.
//
// Code-based flows (authorizationCode, cybersource) are primed: their single-use code is exchanged
// first, and the fault hits the refresh-token request that every later token comes from. The
// emulators do not rotate refresh tokens here: a corrupted answer to a rotating refresh (the server
// moved on, the client never learnt the new token) loses the grant whatever a client does.
import { authorizationCode, clientCredentials, createPkce, refreshTokenFlow, tokenExchange, type TokenFlow, type TokenSource } from '../../src/core/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import type { LifetimeKind } from '../../src/emulator/types.js';
import { PROVIDER_DESCRIPTORS, type ProviderDescriptor } from '../../src/providers/index.js';
import { emulated } from '../providers/_helpers.js';
import { EMULATORS, ID, SECRET, emulatorOf, plantedCredentials, secretsOf, type EmulatorList } from './_planted.js';

export type { LifetimeKind };

export interface FlowRow {
  name: string;
  /** Column label in the matrix. */
  short: string;
  /** Requests to these paths get the fault. */
  path: RegExp;
  token: string[];
  lifetime: { path: string[]; kind: LifetimeKind };
  /** Where the token type is, if the protocol has one. */
  tokenType?: string[];
  /** Most upstream requests one fetch makes one after the other (paypalClientToken: server, 401, again). */
  sequential: number;
  /** Requests that meet a refusal (401) before the flow gives up; default 1. */
  attemptsWhenRefused?: number;
  /** Planted secret values this row's requests carry, and Basic pairs whose base64 is secret too. */
  secrets: string[];
  basic?: [id: string, secret: string];
  build(emulator: Emulator): Promise<{ flow: TokenFlow; prime?: (source: TokenSource) => Promise<void> }>;
}

const base = (emulator: Emulator, prefix: string): string => emulator.baseUrl(prefix);
/** The generic rows' column labels. */
const GENERIC_LABELS = ['cc', 'ac', 'rt', 'tx'];
const oauth2Url = (emulator: Emulator): string => `${base(emulator, 'oauth2')}/token`;
// expires_in is only RECOMMENDED (RFC 6749 §5.1): without it the lifetime is the JWT's exp or a default.
const RFC6749 = { token: ['access_token'], lifetime: { path: ['expires_in'], kind: 'seconds-optional' as const }, tokenType: ['token_type'], sequential: 1 };

/** Gets a token, then drops it: the next fetch is a refresh-token request. */
const primed = async (source: TokenSource): Promise<void> => {
  await source.get();
  source.invalidate();
};

/** A refresh token straight from the emulator (a code exchanged by hand), for refreshTokenFlow. */
async function issuedRefreshToken(emulator: Emulator): Promise<string> {
  const code = emulator.oauth2.authorize({ clientId: ID.oauth2 });
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, client_id: ID.oauth2, client_secret: SECRET.oauth2 });
  const response = await emulator.fetch(oauth2Url(emulator), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return ((await response.json()) as { refresh_token: string }).refresh_token;
}

/** The generic OAuth 2 flows: not providers, so written here. */
const GENERIC_FLOWS: FlowRow[] = [
  {
    name: 'clientCredentials',
    short: 'cc',
    path: /\/oauth2\/token$/,
    ...RFC6749,
    secrets: [SECRET.oauth2],
    basic: [ID.oauth2, SECRET.oauth2],
    build: async (e) => ({ flow: clientCredentials({ tokenUrl: oauth2Url(e), clientId: ID.oauth2, clientSecret: SECRET.oauth2, scope: 'payments' }) }),
  },
  {
    name: 'authorizationCode (+PKCE, refresh step)',
    short: 'ac',
    path: /\/oauth2\/token$/,
    ...RFC6749,
    secrets: [SECRET.oauth2],
    async build(e) {
      const pkce = await createPkce();
      const code = e.oauth2.authorize({ clientId: ID.oauth2, codeChallenge: pkce.codeChallenge, redirectUri: 'https://app.example/cb' });
      const flow = authorizationCode({ tokenUrl: oauth2Url(e), clientId: ID.oauth2, clientSecret: SECRET.oauth2, auth: 'client_secret_post', code, codeVerifier: pkce.codeVerifier, redirectUri: 'https://app.example/cb' });
      return { flow, prime: primed };
    },
  },
  {
    name: 'refreshTokenFlow',
    short: 'rt',
    path: /\/oauth2\/token$/,
    ...RFC6749,
    secrets: [SECRET.oauth2],
    basic: [ID.oauth2, SECRET.oauth2],
    build: async (e) => ({ flow: refreshTokenFlow({ tokenUrl: oauth2Url(e), clientId: ID.oauth2, clientSecret: SECRET.oauth2, refreshToken: await issuedRefreshToken(e) }) }),
  },
  {
    name: 'tokenExchange',
    short: 'tx',
    path: /\/oauth2\/token$/,
    ...RFC6749,
    secrets: [SECRET.oauth2, SECRET.subject, SECRET.actor],
    basic: [ID.oauth2, SECRET.oauth2],
    build: async (e) => ({
      flow: tokenExchange({
        tokenUrl: oauth2Url(e),
        clientId: ID.oauth2,
        clientSecret: SECRET.oauth2,
        subjectToken: SECRET.subject,
        subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token',
        actorToken: SECRET.actor,
        actorTokenType: 'urn:ietf:params:oauth:token-type:access_token',
      }),
    }),
  },
];

/** A new column label: the word's first letter and the first later one that makes it unique. */
function label(word: string, taken: Set<string>): string {
  const letters = word.toLowerCase().replace(/[^a-z0-9]/g, '');
  const candidates = [...letters.slice(1)].map((letter) => `${letters[0]}${letter}`);
  const short = candidates.find((candidate) => !taken.has(candidate)) ?? [2, 3, 4, 5, 6, 7, 8, 9].map((n) => `${letters.slice(0, 2)}${n}`).find((candidate) => !taken.has(candidate))!;
  taken.add(short);
  return short;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A row per token answer each provider's flows read (its server flow, its client-token flow if it has
 * one), from the descriptors and their emulators' entries. The planted credentials stand in for the
 * demo's (a code-grant demo's code stays: it is bound to the demo client id the planted ones keep).
 * A code grant's row is primed (its fault hits the refresh); so is a later step of a flow (the fault
 * meets that step first: the flow holds the earlier step's token). A flow of n steps makes at most
 * 2n − 1 requests one after the other, and tries a later step again once when it is refused (with a
 * fresh token from the steps before).
 */
export function providerRows(descriptors: readonly ProviderDescriptor[] = PROVIDER_DESCRIPTORS, emulators: EmulatorList = EMULATORS, taken: Set<string> = new Set(GENERIC_LABELS)): FlowRow[] {
  const planted = plantedCredentials(descriptors, emulators);
  return descriptors.flatMap((descriptor) => {
    const entry = emulatorOf(descriptor, emulators);
    const credentials = planted[descriptor.name]!;
    const secrets = secretsOf(descriptor, credentials);
    const ids = descriptor.identifiers.map((option) => credentials[option]!);
    // One identifier and one secret: the pair a Basic header would carry, scanned for in both forms.
    const basic: [string, string] | undefined = ids.length === 1 && secrets.length === 1 ? [ids[0]!, secrets[0]!] : undefined;
    const short = label(descriptor.emulatorPrefix, taken);
    const flows = [{ flow: 'server' as const, name: descriptor.name, make: descriptor.flow }];
    if (descriptor.clientToken !== undefined) flows.push({ flow: 'clientToken' as const, name: descriptor.clientToken.name, make: descriptor.clientToken.flow });
    return flows.flatMap(({ flow, name, make }) => {
      const steps = entry.tokenAnswers.filter((answer) => answer.flows.includes(flow));
      if (steps.length === 0) throw new Error(`${descriptor.name}: its emulator describes no token answer for its ${flow} flow`);
      return steps.map((answer, step): FlowRow => {
        const later = step > 0;
        const note = [...(descriptor.codeGrant ? ['refresh step'] : []), ...(steps.length > 1 ? [`${answer.path} step`] : [])];
        return {
          name: note.length === 0 ? name : `${name} (${note.join(', ')})`,
          short: flow === 'server' ? `${short}${steps.length > 1 ? step + 1 : ''}` : `${short}C${steps.length > 1 ? step + 1 : ''}`,
          path: new RegExp(`^/${escapeRegExp(descriptor.emulatorPrefix)}${escapeRegExp(answer.path)}$`),
          token: [...answer.token],
          lifetime: { path: [...answer.lifetime.path], kind: answer.lifetime.kind },
          ...(answer.tokenType === undefined ? {} : { tokenType: [...answer.tokenType] }),
          sequential: 2 * steps.length - 1,
          ...(later ? { attemptsWhenRefused: 2 } : {}),
          secrets,
          ...(basic === undefined ? {} : { basic }),
          async build(emulator) {
            const { baseUrl, demo } = emulated(emulator, descriptor, emulators);
            const request = { credentials: { ...demo.credentials, ...credentials }, baseUrl, ...(demo.scope === undefined ? {} : { scope: demo.scope }) };
            return { flow: make(request), ...(descriptor.codeGrant || later ? { prime: primed } : {}) };
          },
        };
      });
    });
  });
}

/** Every row: the generic OAuth 2 flows, then every provider's. */
export const FLOWS: FlowRow[] = [...GENERIC_FLOWS, ...providerRows()];
