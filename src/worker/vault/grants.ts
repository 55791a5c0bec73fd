// What a registry entry adds when its refresh tokens live in the vault (a Durable Object per profile):
// where the provider's authorize page is, whether it takes PKCE, how a code is exchanged, and which
// secret may seed the first refresh token. The entry's own `create` is the refresh flow (it is given
// `refreshToken`). One of these per provider whose grant starts with an authorization code.
import type { TokenFlow } from '../../core/index.js';
import type { FlowInput } from '../config/registry.js';

export interface AuthorizeRequest {
  state: string;
  /** The Worker's callback URL, sent as the provider's redirect parameter. */
  redirectUri: string;
  /** S256 challenge, when the grant takes PKCE. */
  codeChallenge?: string | undefined;
  /** Dev emulator profiles: the emulator's base for this provider, as the browser reaches it through the Worker. */
  emulatorBase?: string | undefined;
}

export interface CodeExchange {
  code: string;
  redirectUri: string;
  codeVerifier?: string | undefined;
}

export interface VaultGrant {
  /** Default name of the secret that may seed the first refresh token (option `seedSecret` renames it). */
  readonly seedSecret: string;
  /** Whether the authorize request carries a PKCE challenge (RFC 7636). */
  readonly pkce: boolean;
  /** The provider's authorize URL for one onboarding. */
  authorizeUrl(input: FlowInput<unknown>, request: AuthorizeRequest): string;
  /** The flow that exchanges an authorization code (once). */
  exchange(input: FlowInput<unknown>, code: CodeExchange): TokenFlow;
}

/** `base?name=value…` with the parameters that are set. */
export function withQuery(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
