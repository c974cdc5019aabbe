import { z } from 'zod';
import type { Db } from '../store/database.ts';
import { ageBracketsSchema, defaultAgeBrackets } from './age-groups.ts';
import type { EventRef } from './event-ref.ts';

export const eventResultSettingsSchema = z.object({
  placeBy: z.enum(['chip', 'gun']),
  ageBrackets: ageBracketsSchema,
});
export type EventResultSettings = z.output<typeof eventResultSettingsSchema>;

/** Most road races award on chip time; gun-time events say so in their settings. */
export const defaultEventResultSettings: EventResultSettings = { placeBy: 'chip', ageBrackets: [...defaultAgeBrackets] };

export function readEventResultSettings(db: Db, event: EventRef): EventResultSettings {
  const row = db
    .prepare(`SELECT place_by, age_brackets FROM results_event_settings WHERE source_provider = ? AND event_id = ?`)
    .get(event.sourceProvider, event.eventId) as { place_by: 'chip' | 'gun'; age_brackets: string } | undefined;
  if (!row) return { ...defaultEventResultSettings, ageBrackets: [...defaultEventResultSettings.ageBrackets] };
  return { placeBy: row.place_by, ageBrackets: JSON.parse(row.age_brackets) as number[] };
}

export function writeEventResultSettings(db: Db, event: EventRef, settings: EventResultSettings): void {
  db.prepare(
    `INSERT INTO results_event_settings (source_provider, event_id, place_by, age_brackets) VALUES (?, ?, ?, ?)
     ON CONFLICT (source_provider, event_id) DO UPDATE SET place_by = excluded.place_by, age_brackets = excluded.age_brackets,
       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(event.sourceProvider, event.eventId, settings.placeBy, JSON.stringify(settings.ageBrackets));
}
