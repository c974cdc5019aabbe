import type { ApiResult } from '../core/api/contract.ts';

/*
 * The messages between the desktop app's main process and the core host. In the app they cross
 * a MessagePort (Electron's MessageChannelMain into a utilityProcess); in tests the same
 * messages cross a forked child's IPC channel. Every message is structured-cloneable.
 */

/** What the host needs to open the core: everything Electron knows and the host must not ask for. */
export interface HostStartOptions {
  dataDir: string;
  /** How long a keychain request waits for the main process's answer (default: a minute, time for an unlock prompt). */
  keychainTimeoutMs?: number;
  /** better_sqlite3.node built for the runtime the host runs in (Electron's ABI inside the app). */
  sqliteBinding?: string;
  /** The built renderer, served by the station to venue devices. */
  staticDir?: string;
  stationName?: string;
}

/** A start-up failure as the main process shows it: what went wrong, and what to do. */
export interface StartupFailure {
  code: 'native_module' | 'database_too_new' | 'keychain_unavailable' | 'port_in_use' | 'data_folder' | 'unexpected';
  title: string;
  message: string;
}

/**
 * The main process owns the OS keychain (it is the process the OS may show an unlock prompt for),
 * so the host asks it for every read and write of a secret (core/credentials/keychain.ts).
 */
export type KeychainRequest =
  | { operation: 'get'; account: string }
  | { operation: 'set'; account: string; secret: Record<string, string> }
  | { operation: 'delete'; account: string };

export type ToHost =
  | { type: 'start'; options: HostStartOptions }
  | { type: 'call'; id: number; name: string; input: unknown }
  /** Stops background work and closes the core; the host process then exits with code 0. */
  | { type: 'shutdown' }
  /** The answer to the host's keychain request of the same id: the secret for a get, null otherwise. */
  | { type: 'keychain-result'; id: number; result: ApiResult<Record<string, string> | null> };

export type FromHost =
  | { type: 'ready' }
  | { type: 'startup-failed'; failure: StartupFailure }
  | { type: 'result'; id: number; result: ApiResult<unknown> }
  | { type: 'event'; name: string; payload: unknown }
  | { type: 'keychain'; id: number; request: KeychainRequest };

/** The one thing both ends need from a transport: send a message, receive messages. */
export interface HostPort<Out, In> {
  postMessage(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

/** The host's end also hears when the main process's end is gone (closed, or the process ended). */
export interface PortToMain extends HostPort<FromHost, ToHost> {
  onClose(listener: () => void): void;
}
