import { z } from 'zod';
import type { Core } from '../core.ts';
import { updateSettings } from '../settings/settings.ts';
import { resolveEvent } from './event-ref.ts';
import { watchResultsFolder, type FolderWatch } from './watch-folder.ts';

/*
 * The Results screen's "watch a folder" switch: one watched folder per core, run by the process
 * that owns the core (the app's core host, `racedesk station`), so it goes on while windows and
 * browsers come and go. The switch is kept in the settings (resultsWatch), so a laptop restarted
 * on race day watches again without anyone remembering to; the host resumes it at start and
 * closes it before the core closes. Every import and every problem goes out as a
 * 'results.watch' event with the whole status, for the screen's live status line.
 */

export const resultsWatchTargetSchema = z.object({
  event: z.string().min(1),
  provider: z.string().min(1).optional(),
  /** A folder on the laptop that runs the core, as the timing software writes to it. */
  folder: z.string().trim().min(1, 'Give the folder the timing software writes its results to.'),
});
export type ResultsWatchTarget = z.infer<typeof resultsWatchTargetSchema>;

const problemSchema = z.object({ fileName: z.string().nullable(), message: z.string(), at: z.string() });

export const resultsWatchStatusSchema = z.object({
  watching: z.boolean(),
  /** What the switch is set to (the setting), also while a resumed watch could not start. */
  folder: z.string().nullable(),
  event: z.string().nullable(),
  provider: z.string().nullable(),
  eventName: z.string().nullable(),
  startedAt: z.string().nullable(),
  /** Counted since the watch started. */
  imports: z.number(),
  written: z.number(),
  held: z.number(),
  lastImport: z.object({ fileName: z.string(), at: z.string(), written: z.number(), held: z.number() }).nullable(),
  /** The latest file (or, fileName null, the folder) that could not be read or imported. */
  problem: problemSchema.nullable(),
});
export type ResultsWatchStatus = z.infer<typeof resultsWatchStatusSchema>;
type Problem = z.infer<typeof problemSchema>;

interface RunningWatch {
  status: ResultsWatchStatus;
  /** Null while it starts. */
  watch: FolderWatch | null;
}

const watches = new WeakMap<Core, RunningWatch>();
/** Problems of a watch that could not start (resumed at start-up with the folder gone), until the switch is next used. */
const startProblems = new WeakMap<Core, Problem>();

const idle = (core: Core, problem: Problem | null): ResultsWatchStatus => {
  const target = core.settings.read().resultsWatch;
  return {
    watching: false,
    folder: target?.folder ?? null,
    event: target?.event ?? null,
    provider: target?.provider ?? null,
    eventName: null,
    startedAt: null,
    imports: 0,
    written: 0,
    held: 0,
    lastImport: null,
    problem,
  };
};

export function resultsWatchStatus(core: Core): ResultsWatchStatus {
  const running = watches.get(core);
  return running ? { ...running.status } : idle(core, startProblems.get(core) ?? null);
}

function announce(core: Core): ResultsWatchStatus {
  const status = resultsWatchStatus(core);
  core.events.emit('results.watch', status);
  return status;
}

/**
 * Watches `folder` for the event's results (replacing a watch already on) and keeps the switch
 * on in the settings. Refused, changing nothing, for an unknown event or a folder that is not one.
 */
export async function startResultsWatch(core: Core, target: ResultsWatchTarget): Promise<ResultsWatchStatus> {
  const event = resolveEvent(core.db, target.event, target.provider);
  await closeResultsWatch(core);
  startProblems.delete(core);
  const running: RunningWatch = {
    watch: null,
    status: {
      watching: true,
      folder: target.folder,
      event: event.eventId,
      provider: event.sourceProvider,
      eventName: event.eventName,
      startedAt: new Date().toISOString(),
      imports: 0,
      written: 0,
      held: 0,
      lastImport: null,
      problem: null,
    },
  };
  watches.set(core, running);
  try {
    running.watch = await watchResultsFolder(core, {
      dir: target.folder,
      event: event.eventId,
      provider: event.sourceProvider,
      onImported: (imported) => {
        const at = new Date().toISOString();
        const { problem } = running.status;
        // An import clears a problem of the same file, or of the folder (readable again).
        const solved = problem !== null && (problem.fileName === null || problem.fileName === imported.fileName);
        Object.assign(running.status, {
          imports: running.status.imports + 1,
          written: running.status.written + imported.written,
          held: running.status.held + imported.held,
          lastImport: { fileName: imported.fileName, at, written: imported.written, held: imported.held },
          problem: solved ? null : problem,
        });
        if (watches.get(core) === running) announce(core);
      },
      onFailed: (fileName, error) => {
        running.status.problem = { fileName, message: error.message, at: new Date().toISOString() };
        core.log.warn(`Watched results folder ${target.folder}: ${fileName ?? 'the folder'}: ${error.message}`);
        if (watches.get(core) === running) announce(core);
      },
    });
  } catch (error) {
    if (watches.get(core) === running) watches.delete(core);
    throw error;
  }
  // Switched off (or to another folder) by someone else while this one started: that call wins.
  if (watches.get(core) !== running) {
    await running.watch.close();
    return resultsWatchStatus(core);
  }
  updateSettings(core.settings, (settings) => ({ ...settings, resultsWatch: { event: event.eventId, provider: event.sourceProvider, folder: target.folder } }));
  return announce(core);
}

/** Turns the switch off: the watch stops (after a file it is importing) and stays off after a restart. */
export async function stopResultsWatch(core: Core): Promise<ResultsWatchStatus> {
  await closeResultsWatch(core);
  startProblems.delete(core);
  updateSettings(core.settings, (settings) => ({ ...settings, resultsWatch: null }));
  return announce(core);
}

/** Stops watching for a shutdown, leaving the switch as it is for the next start. */
export async function closeResultsWatch(core: Core): Promise<void> {
  const running = watches.get(core);
  if (!running) return;
  watches.delete(core);
  await running.watch?.close();
}

/**
 * Watches again what the switch was left on, at the host's start. A folder that is not there
 * (the share not mounted yet) does not stop the start: the status says why it is not watching,
 * and the switch stays on for the next start.
 */
export async function resumeResultsWatch(core: Core): Promise<void> {
  const target = core.settings.read().resultsWatch;
  if (!target) return;
  try {
    await startResultsWatch(core, target);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.log.warn(`The watched results folder was not watched again: ${message}`);
    startProblems.set(core, { fileName: null, message, at: new Date().toISOString() });
    announce(core);
  }
}
