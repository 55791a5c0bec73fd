// The options every provider factory takes besides its credentials (public: tokenmint/providers).
/** Which of a provider's documented hosts to use. */
export type Environment = 'sandbox' | 'production';

/** Options every provider factory takes besides its credentials. */
export interface ProviderOptions {
  /** Picks the provider's documented hosts. Default `'sandbox'`. */
  environment?: Environment | undefined;
  /**
   * Replaces the host part (scheme, host, optional path prefix), e.g. an emulator's
   * `https://emulator.invalid/kitegateway`. https, or plain http on loopback only.
   */
  baseUrl?: string | undefined;
  /** The fetch this flow uses instead of the store's (e.g. an emulator's, or a Worker's mTLS binding). */
  fetch?: typeof fetch | undefined;
}
