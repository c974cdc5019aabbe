import type { Migration } from './types.ts';

/*
 * Lines of a timing export that an import could not write (core/results/held.ts): an unknown or
 * shared bib, a value that does not parse, one bib on several lines with different results, no
 * bib at all. The rest of the file is written; these wait here for the crew (assign, correct,
 * dismiss) or, for a bib nobody has yet, for that bib to appear (a walk-up, a bib change, a sync).
 *
 * A row is never deleted: resolving it records how and for whom, so nothing the timing system
 * read is lost. `cells` keeps the line's mapped cells and `mapping` the columns they came from, so
 * a correction (kept beside them in `corrected_cells`) is read by the same rules as the file.
 * `fingerprint` (what the line says, not its line number: FinishLynx re-sorts its .lif as it reads
 * more finishers) makes a re-import of the same file hold nothing twice, whatever became of the
 * first copy.
 */
export const heldResults: Migration = {
  version: 140,
  name: 'held-results',
  up: /* sql */ `
CREATE TABLE held_results (
  id INTEGER PRIMARY KEY,
  source_provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  line INTEGER NOT NULL,
  bib TEXT NOT NULL,
  bib_key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('unknown_bib', 'shared_bib', 'duplicate_bib', 'bad_value', 'no_bib')),
  reasons TEXT NOT NULL CHECK (json_valid(reasons)),
  cells TEXT NOT NULL CHECK (json_valid(cells)),
  corrected_cells TEXT CHECK (corrected_cells IS NULL OR json_valid(corrected_cells)),
  mapping TEXT NOT NULL CHECK (json_valid(mapping)),
  fingerprint TEXT NOT NULL,
  import_id TEXT NOT NULL,
  held_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  resolution TEXT CHECK (resolution IN ('matched', 'assigned', 'corrected', 'dismissed')),
  participant_id TEXT,
  resolved_by TEXT,
  resolved_at TEXT,
  UNIQUE (source_provider, event_id, fingerprint)
) STRICT;
CREATE INDEX idx_held_results_open ON held_results(source_provider, event_id, resolution);
`,
};
