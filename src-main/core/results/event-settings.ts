import { z } from 'zod';
import type { Db } from '../store/database.ts';
import { ageBracketsSchema, defaultAgeBrackets } from './age-groups.ts';
import { ageBasisSchema, type AgeBasis } from './age-basis.ts';
import type { EventRef } from './event-ref.ts';

export const eventResultSettingsSchema = z.object({
  placeBy: z.enum(['chip', 'gun']),
  ageBrackets: ageBracketsSchema,
  ageBasis: ageBasisSchema,
  /** The top N of each gender overall take no age-group place; 0 excludes nobody. */
  excludeOverallPlaces: z.number().int().min(0).max(100),
});
export type EventResultSettings = z.output<typeof eventResultSettingsSchema>;

/** Most road races award on chip time, by age on race day, and let overall winners take age-group places too. */
export const defaultEventResultSettings: EventResultSettings = {
  placeBy: 'chip',
  ageBrackets: [...defaultAgeBrackets],
  ageBasis: 'race_day',
  excludeOverallPlaces: 0,
};

interface SettingsRow {
  place_by: 'chip' | 'gun';
  age_brackets: string;
  age_basis: AgeBasis;
  exclude_overall_places: number;
}

export function readEventResultSettings(db: Db, event: EventRef): EventResultSettings {
  const row = db
    .prepare(`SELECT place_by, age_brackets, age_basis, exclude_overall_places FROM results_event_settings WHERE source_provider = ? AND event_id = ?`)
    .get(event.sourceProvider, event.eventId) as SettingsRow | undefined;
  if (!row) return { ...defaultEventResultSettings, ageBrackets: [...defaultEventResultSettings.ageBrackets] };
  return {
    placeBy: row.place_by,
    ageBrackets: JSON.parse(row.age_brackets) as number[],
    ageBasis: row.age_basis,
    excludeOverallPlaces: row.exclude_overall_places,
  };
}

export function writeEventResultSettings(db: Db, event: EventRef, settings: EventResultSettings): void {
  db.prepare(
    `INSERT INTO results_event_settings (source_provider, event_id, place_by, age_brackets, age_basis, exclude_overall_places)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (source_provider, event_id) DO UPDATE SET place_by = excluded.place_by, age_brackets = excluded.age_brackets,
       age_basis = excluded.age_basis, exclude_overall_places = excluded.exclude_overall_places,
       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(event.sourceProvider, event.eventId, settings.placeBy, JSON.stringify(settings.ageBrackets), settings.ageBasis, settings.excludeOverallPlaces);
}
