import type { Migration } from './types.ts';

/*
 * The unified views this migration once created are defined in store/views.ts, which migrate()
 * recreates after every migration.
 */
/*
 * participant_search is the lookup index: one row per registration of any provider, with the
 * folded forms that packet pickup searches on. Triggers keep it in step with each provider table,
 * so every writer (sync, bib change, walk-up) updates it in the same transaction.
 * rd_fold() and rd_digits() are registered by openDatabase (store/database.ts).
 */
export interface SearchSource {
  provider: string;
  table: string;
  id: string;
  eventId: string;
  bib: string;
  first: string;
  last: string;
  email: string;
  phone: string;
}

export const searchSources: readonly SearchSource[] = [
  { provider: 'runsignup', table: 'runsignup_participants', id: 'registration_id', eventId: 'event_id', bib: 'bib_num', first: 'first_name', last: 'last_name', email: 'email', phone: 'phone' },
  { provider: 'chronotrack', table: 'ct_participants', id: 'entry_id', eventId: 'event_id', bib: 'entry_bib', first: 'athlete_first_name', last: 'athlete_last_name', email: 'athlete_email', phone: 'coalesce(NEW.athlete_mobile_phone, NEW.athlete_home_phone)' },
  { provider: 'raceroster', table: 'raceroster_participants', id: 'registration_id', eventId: 'event_id', bib: 'bib_number', first: 'first_name', last: 'last_name', email: 'email', phone: 'phone' },
  { provider: 'copernico', table: 'copernico_participants', id: 'participant_id', eventId: 'event_id', bib: 'bib_number', first: 'first_name', last: 'last_name', email: 'NULL', phone: 'NULL' },
  { provider: 'haku', table: 'haku_participants', id: 'participant_id', eventId: 'event_id', bib: 'bib_number', first: 'first_name', last: 'last_name', email: 'email', phone: 'phone' },
];

/** A SearchSource column, or an expression written over NEW, read from `row`. */
export const rowExpression = (expr: string, row: string) => (/^[a-z_]+$/.test(expr) ? `${row}.${expr}` : expr.replaceAll('NEW.', `${row}.`));

export function searchValues(s: SearchSource, row: 'NEW' | 'src'): string {
  const col = (expr: string) => rowExpression(expr, row);
  return `'${s.provider}', CAST(${col(s.id)} AS TEXT), ${row}.rowid, CAST(${row}.${s.eventId} AS TEXT), CAST(${col(s.bib)} AS TEXT),
      rd_fold(${col(s.first)}), rd_fold(${col(s.last)}), rd_fold(${col(s.email)}), rd_digits(${col(s.phone)})`;
}

/** Indexes rows that existed before the triggers did. */
function searchBackfill(s: SearchSource): string {
  return `INSERT OR REPLACE INTO participant_search SELECT ${searchValues(s, 'src')} FROM ${s.table} AS src;`;
}

export function searchTriggers(s: SearchSource): string {
  const values = searchValues(s, 'NEW');
  return `
CREATE TRIGGER ${s.table}_search_insert AFTER INSERT ON ${s.table} BEGIN
  INSERT OR REPLACE INTO participant_search VALUES (${values});
END;
CREATE TRIGGER ${s.table}_search_update AFTER UPDATE ON ${s.table} BEGIN
  DELETE FROM participant_search WHERE provider = '${s.provider}' AND participant_id = CAST(OLD.${s.id} AS TEXT);
  INSERT OR REPLACE INTO participant_search VALUES (${values});
END;
CREATE TRIGGER ${s.table}_search_delete AFTER DELETE ON ${s.table} BEGIN
  DELETE FROM participant_search WHERE provider = '${s.provider}' AND participant_id = CAST(OLD.${s.id} AS TEXT);
END;`;
}

export const unifiedViewsAndSearch: Migration = {
  version: 2,
  name: 'unified-views-and-search',
  up: /* sql */ `
CREATE TABLE participant_search (
  provider TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  source_rowid INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  bib TEXT,
  first_fold TEXT,
  last_fold TEXT,
  email_fold TEXT,
  phone_digits TEXT,
  PRIMARY KEY (provider, participant_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX idx_participant_search_bib ON participant_search(bib, event_id);
CREATE INDEX idx_participant_search_first ON participant_search(first_fold);
CREATE INDEX idx_participant_search_last ON participant_search(last_fold);
CREATE INDEX idx_participant_search_email ON participant_search(email_fold);
CREATE INDEX idx_participant_search_phone ON participant_search(phone_digits);
${searchSources.map(searchTriggers).join('\n')}
${searchSources.map(searchBackfill).join('\n')}
`,
};
