import type { ApiResult } from '../core/api/contract.ts';
import type { CredentialStore } from '../core/credentials/keychain.ts';
import { toErrorPayload } from '../core/errors.ts';
import type { FromHost, HostPort, HostStartOptions, KeychainRequest, StartupFailure, ToHost } from './protocol.ts';

/** The host answered `startup-failed`, or stopped before it was ready. */
export class StartupFailedError extends Error {
  constructor(readonly failure: StartupFailure) {
    super(`${failure.title}: ${failure.message}`);
    this.name = 'StartupFailedError';
  }
}

/**
 * The main process's side of the port: start the host, call handlers, hear events, shut down, and
 * answer the host's keychain requests from `keychain` (the OS keychain lives in the main process).
 * `exited` settles when the host process ends (Electron's utilityProcess `exit`, a child's `exit`).
 */
export class CoreHostClient {
  private nextId = 1;
  private readonly pending = new Map<number, (result: ApiResult<unknown>) => void>();
  private readonly eventListeners = new Set<(name: string, payload: unknown) => void>();
  private readiness: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private exitCode: number | null | undefined = undefined;

  constructor(
    private readonly port: HostPort<ToHost, FromHost>,
    readonly exited: Promise<number | null>,
    private readonly keychain: CredentialStore,
  ) {
    port.onMessage((message) => this.receive(message));
    void exited.then((code) => {
      this.exitCode = code;
      const stopped = `The RaceDesk core stopped (exit code ${code}).`;
      this.readiness?.reject(
        new StartupFailedError({ code: 'unexpected', title: 'RaceDesk could not start', message: `${stopped} Start RaceDesk again; if this repeats, report it to your RaceDesk support.` }),
      );
      this.readiness = null;
      for (const settle of this.pending.values()) settle({ ok: false, error: { code: 'internal', message: `${stopped} Restart RaceDesk.` } });
      this.pending.clear();
    });
  }

  /** Resolves once the core is open and its background work runs; rejects with StartupFailedError. */
  start(options: HostStartOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.readiness = { resolve, reject };
      this.port.postMessage({ type: 'start', options });
    });
  }

  call(name: string, input: unknown): Promise<ApiResult<unknown>> {
    if (this.exitCode !== undefined) {
      return Promise.resolve({ ok: false, error: { code: 'internal', message: 'The RaceDesk core has stopped. Restart RaceDesk.' } });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.port.postMessage({ type: 'call', id, name, input });
    });
  }

  onEvent(listener: (name: string, payload: unknown) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Asks the host to finish its background work and close the database; resolves when it has exited. */
  async shutdown(): Promise<number | null> {
    if (this.exitCode === undefined) this.port.postMessage({ type: 'shutdown' });
    return this.exited;
  }

  private receive(message: FromHost): void {
    if (message.type === 'result') {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    } else if (message.type === 'event') {
      for (const listener of this.eventListeners) listener(message.name, message.payload);
    } else if (message.type === 'ready') {
      this.readiness?.resolve();
      this.readiness = null;
    } else if (message.type === 'startup-failed') {
      this.readiness?.reject(new StartupFailedError(message.failure));
      this.readiness = null;
    } else if (message.type === 'keychain') {
      void this.answerKeychain(message.id, message.request);
    }
  }

  /** Failures cross as {code, message}: the keychain's own sentence, never the secret. */
  private async answerKeychain(id: number, request: KeychainRequest): Promise<void> {
    let result: ApiResult<Record<string, string> | null>;
    try {
      let value: Record<string, string> | null = null;
      if (request.operation === 'get') value = await this.keychain.get(request.account);
      else if (request.operation === 'set') await this.keychain.set(request.account, request.secret);
      else await this.keychain.delete(request.account);
      result = { ok: true, value };
    } catch (error) {
      result = { ok: false, error: toErrorPayload(error) };
    }
    this.port.postMessage({ type: 'keychain-result', id, result });
  }
}
