import type { Input } from '../api/client.ts';
import type { CopyRow } from './copy-lookup.ts';

/*
 * What a joined device keeps in its browser (IndexedDB, per station origin): the copy of its
 * scope's runners as pickup.deviceCopy last gave it, and the check-ins and bib changes it made
 * while the station was unreachable, in the order they were made, until the station took them.
 */
export interface StoredCopy {
  /** The scope the copy was taken for (JSON of the pickup scope). */
  scopeKey: string;
  rows: CopyRow[];
  complete: boolean;
  takenAt: string;
}

export type QueuedInput =
  | { handler: 'pickup.checkIn'; input: Input<'pickup.checkIn'> & { opId: string } }
  | { handler: 'pickup.changeBib'; input: Input<'pickup.changeBib'> & { opId: string } };

export type QueuedOp = QueuedInput & {
  /** Order of making: replayed lowest first. */
  seq: number;
  queuedAt: string;
  /** The runner's name as the device showed it, for the report after the replay. */
  runnerName: string;
  /** The device's name: what its copy shows as who checked the runner in until the station answers. */
  by: string;
};

export interface DeviceStore {
  readCopy(): Promise<StoredCopy | null>;
  writeCopy(copy: StoredCopy): Promise<void>;
  /** Every queued op, oldest first. */
  queued(): Promise<QueuedOp[]>;
  enqueue(op: Omit<QueuedOp, 'seq'>): Promise<QueuedOp>;
  remove(seq: number): Promise<void>;
}

const databaseName = 'racedesk-device';

export function openIndexedDbStore(factory: IDBFactory = indexedDB): DeviceStore {
  const opened = new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(databaseName, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('copy');
      request.result.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('This browser could not open its storage (IndexedDB).'));
  });

  /** One request in its own transaction, settled when the transaction commits (so a write is on disk). */
  async function run<T>(store: 'copy' | 'queue', mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await opened;
    return new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('The browser storage refused the write (is it full?).'));
    });
  }

  return {
    readCopy: async () => ((await run('copy', 'readonly', (store) => store.get('copy'))) as StoredCopy | undefined) ?? null,
    writeCopy: async (copy) => {
      await run('copy', 'readwrite', (store) => store.put(copy, 'copy'));
    },
    queued: async () => ((await run('queue', 'readonly', (store) => store.getAll())) as QueuedOp[]).sort((a, b) => a.seq - b.seq),
    enqueue: async (op) => {
      const seq = (await run('queue', 'readwrite', (store) => store.add(op))) as number;
      return { ...op, seq } as QueuedOp;
    },
    remove: async (seq) => {
      await run('queue', 'readwrite', (store) => store.delete(seq));
    },
  };
}
