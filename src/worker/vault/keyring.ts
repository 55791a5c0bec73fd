// The vault keys from their Worker secret, imported once per object and re-imported if the secret
// changes. A missing or malformed secret is logged by NAME and answered as a problem.
import type { OnceLogger } from '../log.js';
import { MintProblem } from '../http/problem.js';
import { ImportedSecret, readSecret } from '../config/secrets.js';
import type { MintEnv } from '../types.js';
import type { VaultProblem } from './protocol.js';
import { importVaultKeys, VAULT_KEYS_SECRET, VaultKeyError, type VaultKeys } from './seal.js';

export class Keyring {
  readonly #log: OnceLogger;
  readonly #keys = new ImportedSecret(importVaultKeys);

  constructor(log: OnceLogger) {
    this.#log = log;
  }

  async get(env: MintEnv): Promise<VaultKeys | VaultProblem> {
    let raw: string;
    try {
      raw = readSecret(env, VAULT_KEYS_SECRET, this.#log, 'the vault (refresh tokens at rest)');
    } catch (error) {
      if (error instanceof MintProblem) return 'secret_missing';
      throw error;
    }
    try {
      return await this.#keys.get(raw);
    } catch (error) {
      const reason = error instanceof VaultKeyError ? error.message : 'could not be imported';
      this.#log.once('error', `secret_invalid: the secret ${VAULT_KEYS_SECRET}: ${reason}; see docs/vault.md`);
      return 'secret_invalid';
    }
  }
}
