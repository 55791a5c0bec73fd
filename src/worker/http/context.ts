import type { MintState } from '../state.js';
import type { MintEnv, WaitUntilContext } from '../types.js';

/** One request as the handlers see it. */
export interface HandlerContext {
  request: Request;
  url: URL;
  env: MintEnv;
  ctx: WaitUntilContext | undefined;
  state: MintState;
  /** CORS headers a problem response carries; handlers set them once they have judged the Origin. */
  cors: Record<string, string>;
}

export type Handler = (context: HandlerContext) => Response | Promise<Response>;
