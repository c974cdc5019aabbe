import type { Db } from '../store/database.ts';
import { columnMappingSchema, type ColumnMapping } from './mapping.ts';
import type { TimingFileFormat } from './timing-table.ts';

export interface SavedMapping {
  name: string;
  format: TimingFileFormat;
  headerSignature: string;
  mapping: ColumnMapping;
  updatedAt: string;
}

interface SavedMappingRow {
  name: string;
  format: TimingFileFormat;
  header_signature: string;
  mapping: string;
  updated_at: string;
}

const fromRow = (row: SavedMappingRow): SavedMapping => ({
  name: row.name,
  format: row.format,
  headerSignature: row.header_signature,
  mapping: columnMappingSchema.parse(JSON.parse(row.mapping)),
  updatedAt: row.updated_at,
});

export function listSavedMappings(db: Db): SavedMapping[] {
  return (db.prepare(`SELECT * FROM results_mappings ORDER BY name`).all() as SavedMappingRow[]).map(fromRow);
}

export function findSavedMapping(db: Db, name: string): SavedMapping | undefined {
  const row = db.prepare(`SELECT * FROM results_mappings WHERE name = ?`).get(name) as SavedMappingRow | undefined;
  return row && fromRow(row);
}

/** The mapping last saved for files with this format and header line, if any. */
export function findMappingForHeaders(db: Db, format: TimingFileFormat, headerSignature: string): SavedMapping | undefined {
  const row = db
    .prepare(`SELECT * FROM results_mappings WHERE format = ? AND header_signature = ? ORDER BY updated_at DESC LIMIT 1`)
    .get(format, headerSignature) as SavedMappingRow | undefined;
  return row && fromRow(row);
}

export function saveMapping(db: Db, name: string, format: TimingFileFormat, headerSignature: string, mapping: ColumnMapping): void {
  db.prepare(
    `INSERT INTO results_mappings (name, format, header_signature, mapping) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET format = excluded.format, header_signature = excluded.header_signature,
       mapping = excluded.mapping, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(name, format, headerSignature, JSON.stringify(mapping));
}
