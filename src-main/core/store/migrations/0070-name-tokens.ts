import type { Migration } from './types.ts';
import { rowExpression, searchSources, searchValues, type SearchSource } from './0002-unified-views-and-search.ts';

/*
 * Names as runners say them (store/sql-fold.ts nameKey): participant_search gains name_key, every
 * place a typed word may start inside the first and last names, and participant_name_tokens holds
 * one row per such place that is not the start of a name (first_fold and last_fold already index
 * those), so "nunez" finds D'Arcy-Núñez and "o brien" O'Brien through an index range.
 *
 * The token rows are kept by triggers on participant_search itself, so every path that indexes a
 * runner (provider triggers, walk-ups, backfills) keeps them in step. They carry the runner's sort
 * keys, event, name key and source_rowid, so a lookup filters, orders and fetches them without
 * reading participant_search; for the same reason the name-ordered indexes now also carry event_id,
 * name_key and source_rowid (after the (provider, participant_id) order they had, so paging by name
 * still walks the index). Reading the table row per index entry made "michael smith" in one event
 * 20 times slower.
 *
 * The provider and walk-up triggers are recreated to write name_key (a copy of 0002's and 0050's
 * with the column added, naming the columns so the next one does not have to recreate them).
 */
export const searchColumns = 'provider, participant_id, source_rowid, event_id, bib, first_fold, last_fold, email_fold, phone_digits, name_key';

export const providerValues = (s: SearchSource, row: 'NEW' | 'src') => `${searchValues(s, row)}, rd_name_key(${row}.${s.first}, ${row}.${s.last})`;

/** A provider table's insert and update search triggers as of this migration (0082 recreates Haku's with them). */
export const nameKeySearchTriggers = (s: SearchSource) => `
CREATE TRIGGER ${s.table}_search_insert AFTER INSERT ON ${s.table} BEGIN
  INSERT OR REPLACE INTO participant_search (${searchColumns}) VALUES (${providerValues(s, 'NEW')});
END;
CREATE TRIGGER ${s.table}_search_update AFTER UPDATE ON ${s.table} BEGIN
  DELETE FROM participant_search WHERE provider = '${s.provider}' AND participant_id = CAST(${rowExpression(s.id, 'OLD')} AS TEXT);
  INSERT OR REPLACE INTO participant_search (${searchColumns}) VALUES (${providerValues(s, 'NEW')});
END;`;

const providerTriggers = (s: SearchSource) => `
DROP TRIGGER ${s.table}_search_insert;
DROP TRIGGER ${s.table}_search_update;${nameKeySearchTriggers(s)}`;

const walkUpValues = (row: 'NEW' | 'src') => `${row}.source_provider, ${row}.participant_id, -${row}.rowid, ${row}.event_id, ${row}.bib_number,
    rd_fold(${row}.first_name), rd_fold(${row}.last_name), rd_fold(${row}.email), rd_digits(${row}.phone), rd_name_key(${row}.first_name, ${row}.last_name)`;

/** The token rows of participant_search's NEW row: its name key's entries other than the whole names. */
const insertTokens = `
  DELETE FROM participant_name_tokens WHERE provider = NEW.provider AND participant_id = NEW.participant_id;
  INSERT OR IGNORE INTO participant_name_tokens (token, last_fold, first_fold, provider, participant_id, event_id, name_key, source_rowid)
  SELECT value, coalesce(NEW.last_fold, ''), coalesce(NEW.first_fold, ''), NEW.provider, NEW.participant_id, NEW.event_id, NEW.name_key, NEW.source_rowid
  FROM json_each('["' || replace(substr(NEW.name_key, 2), ' ', '","') || '"]')
  WHERE value IS NOT NEW.first_fold AND value IS NOT NEW.last_fold;`;

export const nameTokens: Migration = {
  version: 70,
  name: 'name-tokens',
  up: /* sql */ `
ALTER TABLE participant_search ADD COLUMN name_key TEXT;

CREATE TABLE participant_name_tokens (
  token TEXT NOT NULL,
  last_fold TEXT NOT NULL,
  first_fold TEXT NOT NULL,
  provider TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  name_key TEXT NOT NULL,
  source_rowid INTEGER NOT NULL,
  PRIMARY KEY (token, last_fold, first_fold, provider, participant_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX idx_participant_name_tokens_participant ON participant_name_tokens(provider, participant_id);

CREATE TRIGGER participant_search_tokens_insert AFTER INSERT ON participant_search BEGIN${insertTokens}
END;
CREATE TRIGGER participant_search_tokens_update AFTER UPDATE OF first_fold, last_fold, event_id, name_key, source_rowid ON participant_search BEGIN${insertTokens}
END;
CREATE TRIGGER participant_search_tokens_delete AFTER DELETE ON participant_search BEGIN
  DELETE FROM participant_name_tokens WHERE provider = OLD.provider AND participant_id = OLD.participant_id;
END;

DROP INDEX idx_participant_search_last_first;
DROP INDEX idx_participant_search_first_last;
CREATE INDEX idx_participant_search_last_first ON participant_search(last_fold, first_fold, provider, participant_id, event_id, name_key, source_rowid);
CREATE INDEX idx_participant_search_first_last ON participant_search(first_fold, last_fold, provider, participant_id, event_id, name_key, source_rowid);

${searchSources.map(providerTriggers).join('\n')}

DROP TRIGGER local_participants_search_insert;
DROP TRIGGER local_participants_search_update;
CREATE TRIGGER local_participants_search_insert AFTER INSERT ON local_participants BEGIN
  INSERT OR REPLACE INTO participant_search (${searchColumns}) VALUES (${walkUpValues('NEW')});
END;
CREATE TRIGGER local_participants_search_update AFTER UPDATE ON local_participants BEGIN
  DELETE FROM participant_search WHERE provider = OLD.source_provider AND participant_id = OLD.participant_id;
  INSERT OR REPLACE INTO participant_search (${searchColumns}) VALUES (${walkUpValues('NEW')});
END;

${searchSources.map((s) => `INSERT OR REPLACE INTO participant_search (${searchColumns}) SELECT ${providerValues(s, 'src')} FROM ${s.table} AS src;`).join('\n')}
INSERT OR REPLACE INTO participant_search (${searchColumns}) SELECT ${walkUpValues('src')} FROM local_participants AS src;
`,
};
