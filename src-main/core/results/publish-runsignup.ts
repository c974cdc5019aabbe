import type { Core } from '../core.ts';
import type { Db } from '../store/database.ts';
import { RaceDeskError } from '../errors.ts';
import { getProvider } from '../providers/registry.ts';
import type { ResultUploadRow } from '../providers/types.ts';
import { openSession } from '../sync/run-sync.ts';
import { resolveEvent, type EventRef } from './event-ref.ts';
import { loadCrewResults, type CrewResult } from './crew-results-store.ts';
import { formatRaceTime } from './time.ts';
import { statusOrder } from './results-list.ts';

export interface PublishSummary {
  event: EventRef;
  raceId: string;
  resultSetId: string;
  /** The event's earlier result set was cleared and refilled (false: a new set was made). */
  replaced: boolean;
  /** Rows sent: placed finishers, then DNF, DQ and DNS. */
  rows: number;
  /** Rows RunSignUp refused, and rows that could not be sent (no registration, no bib). */
  accepted: number;
  rejected: Array<{ label: string; message: string }>;
  /** Finishers without a place (no time yet), left out. */
  notPlaced: number;
}

/**
 * The event's placed results into its RunSignUp result set, through the account that synced the
 * event. The set's id is remembered per race and event (migration 0175) as soon as it exists, so
 * publishing again, also after a cut-off attempt, replaces that set's rows instead of adding a set.
 */
export async function publishToRunSignUp(
  core: Core,
  input: { event: string; provider?: string },
  onProgress?: (progress: { sent: number; total: number }) => void,
): Promise<PublishSummary> {
  const event = resolveEvent(core.db, input.event, input.provider);
  const name = event.eventName ?? event.eventId;
  if (event.sourceProvider !== 'runsignup') {
    const provider = getProvider(event.sourceProvider).displayName;
    throw new RaceDeskError(
      'invalid_input',
      `${name} is a ${provider} event. Results are published only to RunSignUp events, through RunSignUp's results API; for ${provider}, export the results as CSV (racedesk results export) and upload them there.`,
    );
  }
  const target = core.db
    .prepare(`SELECT CAST(race_id AS TEXT) AS raceId, credentials_used AS account FROM runsignup_events WHERE event_id = ?`)
    .get(Number(event.eventId)) as { raceId: string | null; account: string | null } | undefined;
  if (!target?.raceId || !target.account) {
    throw new RaceDeskError('not_found', `RunSignUp event ${name} has no race or account stored with it; sync the account that holds it again (racedesk sync).`);
  }
  const prepared = uploadRows(core.db, event);
  if (prepared.rows.length === 0) {
    const { notPlaced } = prepared;
    throw new RaceDeskError('invalid_input', `${name} has no placed results to publish${notPlaced > 0 ? ` (${notPlaced} finishers have no time yet)` : ''}. Import the timing file first (racedesk results import).`);
  }
  // Two devices pressing Publish at once, before a set is remembered, would make two sets.
  const running = `${target.raceId}:${event.eventId}`;
  if (publishing.has(running)) {
    throw new RaceDeskError('conflict', `${name} is being published to RunSignUp right now; wait for that to finish, then publish again if needed.`);
  }
  publishing.add(running);
  try {
    return await publishRows(core, event, { raceId: target.raceId, account: target.account }, prepared, onProgress);
  } finally {
    publishing.delete(running);
  }
}

/** Events being published by this process, by race and event id. */
const publishing = new Set<string>();

async function publishRows(
  core: Core,
  event: EventRef,
  target: { raceId: string; account: string },
  { rows, unsendable, notPlaced }: UploadRows,
  onProgress?: (progress: { sent: number; total: number }) => void,
): Promise<PublishSummary> {
  const name = event.eventName ?? event.eventId;
  const remembered = core.db
    .prepare(`SELECT result_set_id AS resultSetId, account FROM runsignup_result_sets WHERE race_id = ? AND event_id = ?`)
    .get(target.raceId, event.eventId) as { resultSetId: string; account: string } | undefined;
  // The account that made the set is the one allowed to clear it.
  const account = remembered?.account ?? target.account;
  const { session } = await openSession(core, 'runsignup', account);
  if (!session.publishResults) throw new RaceDeskError('internal', 'The RunSignUp session cannot publish results.');
  const remember = (resultSetId: string, accepted: number, rejected: number) =>
    core.db
      .prepare(
        `INSERT INTO runsignup_result_sets (race_id, event_id, result_set_id, account, published_at, rows_accepted, rows_rejected)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (race_id, event_id) DO UPDATE SET result_set_id = excluded.result_set_id, account = excluded.account,
           published_at = excluded.published_at, rows_accepted = excluded.rows_accepted, rows_rejected = excluded.rows_rejected`,
      )
      .run(target.raceId, event.eventId, resultSetId, account, new Date().toISOString(), accepted, rejected);
  const outcome = await session.publishResults({
    eventId: event.eventId,
    groupId: target.raceId,
    resultSetId: remembered?.resultSetId ?? null,
    resultSetName: `${name} results`,
    rows,
    onResultSet: (resultSetId) => remember(resultSetId, 0, 0),
    onProgress,
  });
  const rejected = [...unsendable, ...outcome.rejected];
  remember(outcome.resultSetId, outcome.accepted, rejected.length);
  return {
    event,
    raceId: target.raceId,
    resultSetId: outcome.resultSetId,
    replaced: !outcome.created,
    rows: rows.length,
    accepted: outcome.accepted,
    rejected,
    notPlaced,
  };
}

/**
 * The rows RunSignUp gets: a registration by its registration id (the bib may have changed at
 * pickup since RunSignUp last heard), a walk-up by its bib. A finisher carries its place and the
 * gun time as clock time, the chip time as chip time; a DNF, DNS or DQ carries that word in both,
 * as RunSignUp accepts it (field check R9).
 */
interface UploadRows {
  rows: ResultUploadRow[];
  /** Results RunSignUp could not match whatever it were sent (no registration, no bib). */
  unsendable: PublishSummary['rejected'];
  notPlaced: number;
}

function uploadRows(db: Db, event: EventRef): UploadRows {
  const registered = new Set(
    (db.prepare(`SELECT CAST(registration_id AS TEXT) FROM runsignup_participants WHERE event_id = ?`).pluck().all(Number(event.eventId)) as string[]),
  );
  const results = loadCrewResults(db, event);
  // Finishers in place order, then the others in the order results pages list them.
  const placed = results
    .filter((result) => result.status !== 'FIN' || result.overallPlace !== null)
    .sort((a, b) => statusOrder[a.status] - statusOrder[b.status] || (a.overallPlace ?? 0) - (b.overallPlace ?? 0) || (a.bibNumber ?? '').localeCompare(b.bibNumber ?? '', undefined, { numeric: true }));
  const rows: ResultUploadRow[] = [];
  const unsendable: PublishSummary['rejected'] = [];
  for (const result of placed) {
    const key: Record<string, string | number> | null = registered.has(result.participantId)
      ? { registration_id: Number(result.participantId) }
      : result.bibNumber
        ? { bib: result.bibNumber }
        : null;
    if (key === null) {
      const label = labelOf(result);
      unsendable.push({ label, message: `${label} has no RunSignUp registration and no bib, so RunSignUp cannot match it; give the runner a bib and publish again.` });
    } else {
      rows.push({ fields: { ...key, ...timeFields(result) }, label: labelOf(result) });
    }
  }
  return { rows, unsendable, notPlaced: results.filter((result) => result.status === 'FIN' && result.overallPlace === null).length };
}

function timeFields(result: CrewResult): Record<string, string | number> {
  if (result.status !== 'FIN') return { clock_time: result.status, chip_time: result.status };
  const clock = formatRaceTime(result.gunTimeMs);
  const chip = formatRaceTime(result.chipTimeMs);
  return { place: result.overallPlace!, ...(clock === null ? {} : { clock_time: clock }), ...(chip === null ? {} : { chip_time: chip }) };
}

function labelOf(result: CrewResult): string {
  const name = [result.firstName, result.lastName].filter(Boolean).join(' ');
  const who = result.bibNumber ? `bib ${result.bibNumber}` : `runner ${result.participantId}`;
  return name ? `${who} (${name})` : who;
}
