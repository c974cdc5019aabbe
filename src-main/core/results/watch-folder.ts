import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RaceDeskError } from '../errors.ts';
import { dispatch } from '../api/dispatch.ts';
import type { OutputOf } from '../api/contract.ts';
import type { Handlers } from '../api/handlers.ts';
import type { Core } from '../core.ts';
import { decodeTimingFile } from './timing-file.ts';

/*
 * A watched results folder: FinishLynx rewrites an event's .lif as results are read, other timing
 * software drops CSV or tab-separated exports. A file is imported once it looks complete: the same
 * size and modification time on two looks at least settleMs apart (a writer still busy changes one
 * of them, so the file waits for a later look). fs.watch makes the looks come soon after a change;
 * a poll every pollMs is the fallback where fs.watch says nothing (network shares, some
 * filesystems) and is what spaces the looks out.
 */
export const watchedExtensions = /\.(lif|csv|txt)$/i;

export interface WatchedImport {
  fileName: string;
  written: number;
  unchanged: number;
  held: number;
  alreadyHeld: number;
  placesChanged: number;
}

export interface FolderWatchOptions {
  dir: string;
  /** Imports one complete file's text. */
  importFile: (file: { fileName: string; content: string }) => Promise<Omit<WatchedImport, 'fileName'>>;
  onImported: (imported: WatchedImport) => void;
  /**
   * A complete file that could not be imported, or, null, the folder could not be read. A file at
   * fault (no bib column, unknown event) is tried again once it changes; other failures on the next look.
   */
  onFailed: (fileName: string | null, error: Error) => void;
  /** After each look at the folder, also one that failed (a status can show when it last looked). */
  onLooked?: () => void;
  pollMs?: number;
  settleMs?: number;
}

export interface FolderWatch {
  close(): Promise<void>;
}

interface FileState {
  /** size:mtime on the latest look, and since when it has been so. */
  signature: string;
  since: number;
  /** The signature last dealt with (imported, skipped or failed): nothing to do until it changes. */
  done: string | null;
  /** The content hash last imported from this file. */
  importedHash: string | null;
  /** The signature whose failure was reported: a failure tried again on every look is reported once. */
  reported: string | null;
}

const isTheFilesFault = (error: unknown) => error instanceof RaceDeskError && (error.code === 'invalid_input' || error.code === 'not_found');

export async function watchFolder(options: FolderWatchOptions): Promise<FolderWatch> {
  const pollMs = options.pollMs ?? 1_000;
  const settleMs = options.settleMs ?? pollMs;
  await requireFolder(options.dir);

  const files = new Map<string, FileState>();
  let closed = false;
  let looking: Promise<void> | null = null;
  let lookAgain = false;
  // A folder gone (a USB stick pulled, a share dropped) is reported once, not on every look.
  let folderFailed = false;

  const lookOnce = async (): Promise<void> => {
    const names = (await readdir(options.dir, { withFileTypes: true })).filter((entry) => entry.isFile() && watchedExtensions.test(entry.name)).map((entry) => entry.name);
    for (const gone of [...files.keys()].filter((name) => !names.includes(name))) files.delete(gone);
    for (const name of names.sort()) {
      if (closed) return;
      await lookAt(name);
    }
  };

  const lookAt = async (name: string): Promise<void> => {
    const path = join(options.dir, name);
    let signature: string;
    try {
      const stats = await stat(path);
      signature = `${stats.size}:${stats.mtimeMs}`;
    } catch {
      return; // Removed or renamed between the listing and the look.
    }
    const now = Date.now();
    const state = files.get(name);
    if (!state || state.signature !== signature) {
      files.set(name, { signature, since: now, done: state?.done ?? null, importedHash: state?.importedHash ?? null, reported: state?.reported ?? null });
      return;
    }
    if (state.done === signature || now - state.since < settleMs) return;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      return; // Locked by the writer (Windows) or just removed: the next look tries again.
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    // FinishLynx rewrites a .lif that did not change when it saves the heat again.
    if (hash === state.importedHash) {
      state.done = signature;
      return;
    }
    try {
      const imported = await options.importFile({ fileName: name, content: decodeTimingFile(bytes) });
      state.done = signature;
      state.importedHash = hash;
      options.onImported({ fileName: name, ...imported });
    } catch (error) {
      // The file's own fault waits for the file to change; anything else (a busy database) is tried on the next look.
      if (isTheFilesFault(error)) state.done = signature;
      if (state.reported !== signature) options.onFailed(name, error as Error);
      state.reported = signature;
    }
  };

  // One look at a time; a change during a look asks for another right after.
  const look = (): void => {
    if (closed) return;
    if (looking) {
      lookAgain = true;
      return;
    }
    looking = lookOnce()
      .then(() => {
        folderFailed = false;
      })
      .catch((error: unknown) => {
        if (!folderFailed) options.onFailed(null, error as Error);
        folderFailed = true;
      })
      .finally(() => {
        looking = null;
        options.onLooked?.();
        if (lookAgain) {
          lookAgain = false;
          look();
        }
      });
  };

  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(options.dir, { persistent: false }, () => look());
    watcher.on('error', () => {
      watcher?.close();
      watcher = null;
    });
  } catch {
    watcher = null; // Not supported here: the poll alone finds the changes.
  }
  const poll = setInterval(look, pollMs);
  look();

  return {
    async close() {
      closed = true;
      clearInterval(poll);
      watcher?.close();
      await looking;
    },
  };
}

async function requireFolder(dir: string): Promise<void> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(dir)).isDirectory();
  } catch (error) {
    throw new RaceDeskError('invalid_input', `Cannot watch ${dir}: ${(error as Error).message}. Give the folder the timing software writes its results to.`);
  }
  if (!isFolder) throw new RaceDeskError('invalid_input', `Cannot watch ${dir}: it is a file, not a folder. Give the folder the timing software writes its results to.`);
}

/**
 * Watches a folder for an event's results: every complete file goes through results.accept, the
 * same import as by hand, clean rows written and the others held (never strict).
 */
export function watchResultsFolder(
  core: Core,
  options: Omit<FolderWatchOptions, 'importFile'> & { event: string; provider?: string },
): Promise<FolderWatch> {
  const { event, provider, ...watchOptions } = options;
  return watchFolder({
    ...watchOptions,
    importFile: async ({ fileName, content }) => {
      const result = await dispatch(core, 'results.accept', { event, provider, fileName, content });
      if (!result.ok) throw new RaceDeskError(result.error.code, result.error.message);
      const { written, unchanged, held, alreadyHeld, placesChanged } = result.value as OutputOf<Handlers['results.accept']>;
      return { written, unchanged, held, alreadyHeld, placesChanged };
    },
  });
}
