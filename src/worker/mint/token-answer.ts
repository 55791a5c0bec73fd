// The body of a successful `POST /v1/tokens`: what the mint Worker sends and the widget reads. Its own
// module, free of Worker code, so the widget imports the type without pulling anything else in.

/** The body of a successful `POST /v1/tokens`. */
export interface MintedToken {
  accessToken: string;
  /** `Bearer` for session tokens, the provider's own for upstream ones (e.g. `ClientToken`). */
  tokenType: string;
  /** Seconds from now. */
  expiresIn: number;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The space-separated scope granted. */
  scope: string;
}
