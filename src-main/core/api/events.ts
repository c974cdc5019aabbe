import type { ResultsWatchStatus } from '../results/results-watch.ts';

/** Events the core streams to the shells (progress bars, live counters, status). */
export interface SyncProgress {
  runId: string;
  provider: string;
  account: string;
  eventId: string | null;
  eventName: string | null;
  phase: 'events' | 'participants' | 'results' | 'done' | 'failed' | 'cancelled';
  page: number;
  pageCount: number | null;
  records: number;
  message?: string;
}

export interface PickupChanged {
  kind: 'check_in' | 'undo_check_in' | 'bib_change' | 'walk_up';
  provider: string;
  eventId: string;
  participantId: string;
  stationName: string;
  at: string;
  counters: { provider: string; eventId: string; eventName: string | null; registered: number; checkedIn: number; walkUps: number };
}

/** A batch of a hub pull written on this laptop (hub/pull.ts PullProgress). */
export interface HubPullProgress {
  table: string;
  rows: number;
  pulled: number;
  total: number;
}

/** Rows of an event's results sent to RunSignUp so far (results/publish-runsignup.ts). */
export interface ResultsPublishProgress {
  provider: string;
  eventId: string;
  sent: number;
  total: number;
}

export interface CoreEvents {
  'sync.progress': SyncProgress;
  /** Something changed that open screens should re-read (counters, tables, status). */
  'data.changed': { area: string };
  /** A check-in, undo, bib change or walk-up at any station, with the event's new counters. */
  'pickup.changed': PickupChanged;
  'hub.pullProgress': HubPullProgress;
  /** The watched results folder's status after each import or problem, and when the switch moves. */
  'results.watch': ResultsWatchStatus;
  'results.publishProgress': ResultsPublishProgress;
}
