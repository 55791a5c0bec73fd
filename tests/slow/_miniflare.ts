// Shared by the Miniflare fleet tests: a fleet of mint workers around one Durable Object binding, and a
// mint request dispatched to one isolate of it (each mint worker is routed by its host name). Bundling is
// fixtures/fleet/miniflare.mjs's, which bench/proxy (plain Node, no TypeScript) uses too.
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { bundle, COMPATIBILITY_DATE } from './fixtures/fleet/miniflare.mjs';

export { bundle };
export const ORIGIN = 'https://shop.example';

/** `POST /v1/tokens` for `profile` on the worker routed at `host`; resolves to its status, the body read. */
export async function mintOn(mf: Miniflare, host: string, profile: string): Promise<number> {
  const response = await mf.dispatchFetch(`https://${host}/v1/tokens`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ profile }),
  });
  await response.arrayBuffer();
  return response.status;
}

export interface FleetSpec {
  isolates: number;
  mintScript: string;
  upstreamScript: string;
  /** Vars and secrets of every mint worker. */
  bindings: Record<string, string>;
  /** The Durable Object binding, its class hosted by mint-0's script and shared by every mint worker. */
  object: { binding: string; className: string };
  /** Vars of the upstream worker. */
  upstreamBindings: Record<string, string>;
}

/**
 * `mint-0` … `mint-{n-1}` (each its own isolate, routed at `mint-i.fleet.test`) and `upstream`, their
 * outbound service, so the upstream's counts are the provider's.
 */
export async function startMiniflare(spec: FleetSpec): Promise<Miniflare> {
  const { binding, className } = spec.object;
  const mintWorker = (i: number) => ({
    name: `mint-${i}`,
    modules: true,
    script: spec.mintScript,
    compatibilityDate: COMPATIBILITY_DATE,
    // dispatchFetch picks the worker by host (a Miniflare worker's own fetch refuses a foreign Origin).
    routes: [`mint-${i}.fleet.test/*`],
    bindings: spec.bindings,
    durableObjects: { [binding]: i === 0 ? { className, useSQLite: true } : { className, scriptName: 'mint-0', useSQLite: true } },
    outboundService: 'upstream',
  });
  const upstream = { name: 'upstream', modules: true, script: spec.upstreamScript, compatibilityDate: COMPATIBILITY_DATE, bindings: spec.upstreamBindings };
  const mf = new Miniflare(convertV4MiniflareOptions({ workers: [...Array.from({ length: spec.isolates }, (_, i) => mintWorker(i)), upstream] }));
  await mf.ready;
  return mf;
}
