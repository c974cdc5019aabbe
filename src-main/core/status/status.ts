import type { Core } from '../core.ts';
import { lastSyncPerAccount } from '../sync/history.ts';
import { lastPush, pendingChangeCount, type LastPush } from '../hub/outbox.ts';

export interface EventCount {
  source_provider: string;
  event_id: string;
  event_name: string | null;
  participants: number;
}

export interface StatusReport {
  dataDir: string;
  settingsFile: string;
  partner: { id: number; name: string } | null;
  events: EventCount[];
  accounts: Array<{ provider: string; label: string; lastSyncAt: string | null; lastSyncStatus: string | null }>;
  hub: { url: string | null; pendingChanges: number; lastPush: LastPush };
}

export function readStatus(core: Core): StatusReport {
  const settings = core.settings.read();
  const events = core.db
    .prepare(
      // One name per event (event_titles: a Race Roster event once for all its sub-events), people counted once.
      `SELECT s.provider AS source_provider, s.event_id, count(*) AS participants,
              (SELECT e.event_title FROM event_titles e WHERE e.source_provider = s.provider AND e.event_id = s.event_id) AS event_name
       FROM participant_search s
       GROUP BY s.provider, s.event_id ORDER BY s.provider, s.event_id`,
    )
    .all() as EventCount[];
  const syncs = lastSyncPerAccount(core.db);
  return {
    dataDir: core.dataDir,
    settingsFile: core.settings.path,
    partner: settings.partner,
    events,
    accounts: settings.accounts.map((a) => {
      const last = syncs.find((s) => s.provider_name === a.provider && s.account_label === a.label);
      return { provider: a.provider, label: a.label, lastSyncAt: last?.completed_at ?? null, lastSyncStatus: last?.status ?? null };
    }),
    hub: { url: settings.hub?.url ?? null, pendingChanges: pendingChangeCount(core.db), lastPush: lastPush(core.db) },
  };
}
