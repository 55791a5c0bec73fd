// A profile's flow, built per request from its secrets (cheap) and swapped for the isolate's flow of
// the same key, routed to the dev emulator when the profile says so.
import { TokenError, type TokenFlow } from '../../core/index.js';
import type { MintConfig, Profile } from '../config/parse.js';
import type { OnceLogger } from '../log.js';
import { problem } from '../http/problem.js';
import { readCredentials } from '../config/secrets.js';
import type { MintState } from '../state.js';
import type { MintEnv } from '../types.js';

export interface FlowRequest {
  /** Upstream mode: what the browser was granted. */
  scope?: string;
  expiresIn?: number;
}

export function profileFlow(state: MintState, config: MintConfig, env: MintEnv, profile: Profile, grant: FlowRequest = {}): TokenFlow {
  const credentials = readCredentials(env, profile, state.log);
  const emulator = profile.upstream === 'emulator' ? state.emulator(config) : undefined;
  try {
    const flow = profile.entry.create({
      credentials,
      options: profile.providerOptions,
      ...(emulator === undefined ? {} : { baseUrl: emulator.baseUrl(profile.entry.emulatorPrefix), fetch: emulator.fetch }),
      ...grant,
    });
    return state.canonicalFlow(flow);
  } catch (error) {
    // Options passed the start-up check with placeholders, so what fails now is a credential.
    throw credentialProblem(error, profile, state.log);
  }
}

function credentialProblem(error: unknown, profile: Profile, log: OnceLogger): Error {
  const names = Object.entries(profile.secretNames).map(([field, name]) => `${field} from ${name}`).join(', ');
  const reason = error instanceof TokenError ? error.message : 'its flow could not be created';
  log.once('error', `secret_invalid: profile "${profile.name}": ${reason} (credentials: ${names})`);
  return problem('secret_invalid');
}
