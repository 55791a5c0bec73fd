// The isolate's side of the token coordinator: a TokenFlow that asks the flow key's Durable Object
// instead of the provider. The isolate's TokenStore stays as it is — it
// serves from memory, single-flights, and calls this flow only when its copy is missing or due —
// so the object sees at most one request per isolate per token. If the object is unreachable,
// throws, or cannot run the flow, the isolate runs the real flow itself (still single-flight).
import { systemClock, type AccessToken, type Clock, type FlowContext, type TokenFlow } from '../../core/index.js';
import { sha256Hex } from '../../core/kit.js';
import { COORDINATOR_BINDING, COORDINATOR_ORIGIN, TOKEN_PATH, fromWireError, parseReply, type TokenAsk, type TokenReply } from './protocol.js';
import type { DurableObjectNamespaceLike, DurableObjectStubLike } from '../durable-object.js';
import type { OnceLogger } from '../log.js';

// Longer than the object's own worst case (an upstream fetch: 3 attempts of 10 s plus backoff), so a
// slow provider does not send every isolate to it as well; short enough to end a hung call.
export const COORDINATOR_TIMEOUT = 45_000;

class CoordinatorDown extends Error {
  override readonly name: string = 'CoordinatorDown';
}

const stubFor = (namespace: DurableObjectNamespaceLike, key: string): DurableObjectStubLike => namespace.get(namespace.idFromName(key) as never);

function withTimeout<T>(promise: Promise<T>, clock: Clock, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(new CoordinatorDown(`no answer in ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export class Coordination {
  readonly #log: OnceLogger;
  /** One wrapper per flow key, with the binding it asks. */
  readonly #flows = new Map<string, { flow: TokenFlow; namespace: DurableObjectNamespaceLike }>();
  /** Coordinated flow key → fingerprint of the token the provider refused, told to the object on the next ask. */
  readonly #rejected = new Map<string, string>();
  /** Whether the last call failed: the log says so once per outage, and once when it ends. */
  #down = false;

  constructor(log: OnceLogger) {
    this.#log = log;
  }

  /** `flow`, coordinated through `namespace` (the object named by its key) for `ask.profile`. */
  flow(flow: TokenFlow, ask: Omit<TokenAsk, 'key'>, namespace: DurableObjectNamespaceLike): TokenFlow {
    const known = this.#flows.get(flow.key);
    if (known !== undefined && known.namespace === namespace) return known.flow;
    const coordinated: TokenFlow = {
      // Its own store source: a profile switching coordination does not inherit the other's flow.
      key: `coordinated ${flow.key}`,
      browserSafe: flow.browserSafe,
      ...(flow.provider === undefined ? {} : { provider: flow.provider }),
      ...(flow.authorization === undefined ? {} : { authorization: (token: AccessToken) => flow.authorization!(token) }),
      fetchToken: (ctx) => this.#fetchToken(flow, { ...ask, key: flow.key }, namespace, ctx),
    };
    this.#flows.set(flow.key, { flow: coordinated, namespace });
    return coordinated;
  }

  /** Forgets the wrappers (their asks may carry an old emulator epoch). */
  clear(): void {
    this.#flows.clear();
    this.#rejected.clear();
  }

  /**
   * The provider refused `accessToken` of the coordinated flow `key`: the next ask tells the object,
   * which then fetches a new one instead of handing the refused one out again. No-op for other flows.
   */
  reject(key: string, accessToken: string): void {
    const known = [...this.#flows.values()].some((entry) => entry.flow.key === key);
    if (known) this.#rejected.set(key, sha256Hex(accessToken));
  }

  async #fetchToken(flow: TokenFlow, ask: TokenAsk, namespace: DurableObjectNamespaceLike, ctx: FlowContext): Promise<AccessToken> {
    let reply: TokenReply;
    const coordinatedKey = `coordinated ${flow.key}`;
    const rejected = this.#rejected.get(coordinatedKey);
    this.#rejected.delete(coordinatedKey);
    try {
      reply = await this.#ask(namespace, rejected === undefined ? ask : { ...ask, rejected }, ctx.clock ?? systemClock);
    } catch (error) {
      this.#failed(error);
      return flow.fetchToken(ctx);
    }
    if (this.#down) {
      this.#down = false;
      this.#log.log('info', `the Durable Object ${COORDINATOR_BINDING} answers again; server tokens are coordinated again`);
    }
    if (reply.ok) return { ...reply.token };
    if ('unavailable' in reply) {
      this.#log.once('warn', `the Durable Object ${COORDINATOR_BINDING} cannot run profile "${ask.profile}" (${reply.unavailable}); this isolate fetches that token itself`);
      return flow.fetchToken(ctx);
    }
    // The upstream failed as the object saw it: reported as is, not retried from every isolate.
    throw fromWireError(reply.error);
  }

  async #ask(namespace: DurableObjectNamespaceLike, ask: TokenAsk, clock: Clock): Promise<TokenReply> {
    const request = new Request(`${COORDINATOR_ORIGIN}${TOKEN_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ask) });
    const response = await withTimeout(stubFor(namespace, ask.key).fetch(request), clock, COORDINATOR_TIMEOUT);
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new CoordinatorDown(`HTTP ${response.status}`);
    }
    const reply = parseReply(await response.json().catch(() => undefined));
    if (reply === undefined) throw new CoordinatorDown('an answer that is not a token reply');
    return reply;
  }

  #failed(error: unknown): void {
    if (this.#down) return;
    this.#down = true;
    // The error's name and our own description only: a runtime message could quote anything.
    const why = error instanceof CoordinatorDown ? error.message : error instanceof Error ? error.name : typeof error;
    this.#log.log('warn', `the Durable Object ${COORDINATOR_BINDING} did not answer (${why}); isolates fetch their own server tokens until it does`);
  }
}
