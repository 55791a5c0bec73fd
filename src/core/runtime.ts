/** Cloudflare Workers: no timers between requests, and no ambient credentials (cookies) in fetch. */
export const onCloudflareWorkers = (): boolean =>
  (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';
