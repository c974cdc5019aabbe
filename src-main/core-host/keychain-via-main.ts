import type { ApiResult } from '../core/api/contract.ts';
import type { CredentialStore } from '../core/credentials/keychain.ts';
import { RaceDeskError } from '../core/errors.ts';
import type { FromHost, KeychainRequest } from './protocol.ts';

// Time enough for a person to answer the OS's unlock prompt, which main is waiting on meanwhile.
const defaultKeychainTimeoutMs = 60_000;

interface Waiting {
  settle(result: ApiResult<Record<string, string> | null>): void;
  timer: NodeJS.Timeout;
}

/**
 * The host's keychain: every read and write is a request to the main process, which owns the OS
 * keychain. A request ends with main's answer, with an error as soon as main's end of the port is
 * gone, or with an error after the timeout: a sync or a start-up never waits for ever on a main
 * process that crashed or is stuck. Secrets travel only in the messages, never in an error.
 */
export class KeychainViaMain {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private mainGone = false;

  constructor(private readonly send: (message: FromHost) => void) {}

  store(timeoutMs = defaultKeychainTimeoutMs): CredentialStore {
    return {
      get: (account) => this.request({ operation: 'get', account }, timeoutMs),
      set: async (account, secret) => void (await this.request({ operation: 'set', account, secret }, timeoutMs)),
      delete: async (account) => void (await this.request({ operation: 'delete', account }, timeoutMs)),
    };
  }

  /** Main's answer to request `id`; one that comes after its timeout finds nobody waiting. */
  answer(id: number, result: ApiResult<Record<string, string> | null>): void {
    this.waiting.get(id)?.settle(result);
  }

  /** Main's end of the port is gone: nothing waiting will be answered, and nothing new is asked. */
  close(): void {
    this.mainGone = true;
    for (const waiting of [...this.waiting.values()]) waiting.settle({ ok: false, error: mainGoneError });
  }

  private request(request: KeychainRequest, timeoutMs: number): Promise<Record<string, string> | null> {
    if (this.mainGone) return Promise.reject(toError(mainGoneError));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const settle = (result: ApiResult<Record<string, string> | null>) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        if (result.ok) resolve(result.value);
        else reject(toError(result.error));
      };
      const timer = setTimeout(
        () =>
          settle({
            ok: false,
            error: {
              code: 'keychain_unavailable',
              message:
                `The OS keychain did not answer within ${timeoutMs / 1000} s. If it asks to be unlocked, ` +
                'unlock it and try again; otherwise quit and start RaceDesk again.',
            },
          }),
        timeoutMs,
      );
      this.waiting.set(id, { settle, timer });
      this.send({ type: 'keychain', id, request });
    });
  }
}

const mainGoneError = {
  code: 'keychain_unavailable',
  message: "RaceDesk's main process has gone, so the OS keychain cannot be reached. Start RaceDesk again.",
} as const;

function toError(error: { code: RaceDeskError['code']; message: string }): RaceDeskError {
  return new RaceDeskError(error.code, error.message);
}
