import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  durationText,
  eventBlock,
  parseRace,
  participantRow,
  repairText,
  resultRow,
  resultRowFromSummary,
} from '../../../../src-main/core/providers/copernico/mapping.ts';
import { RecordProblem } from '../../../../src-main/core/providers/record-problems.ts';
import { copernico } from '../../../../src-main/core/providers/copernico/definition.ts';
import { openDatabase } from '../../../../src-main/core/store/database.ts';
import { upsertRows } from '../../../../src-main/core/store/upsert.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const context = { accountLabel: 'Oficina', timingPartnerId: null, fetchedAt: '2026-11-16T10:00:00.000Z' };
const raceId = 'media-maraton-rio-verde-2026';
const race = parseRace(raceId, fixture('race_detail.json').data, context);

describe('Copernico times without an offset', () => {
  // Runs under TZ=UTC, America/Los_Angeles and Asia/Tokyo (time-zones.test.ts): the instant may not move.
  it('reads them in the race\'s time zone, not the laptop\'s', () => {
    const detail = { ...fixture('race_detail.json').data, timezone: 'Europe/Madrid', date: '2026-11-15T09:00:00' };
    detail.events = detail.events.map((e: Record<string, unknown>) => ({ ...e, date: undefined }));
    expect(parseRace(raceId, detail, context).events[0].startsAt).toBe('2026-11-15T08:00:00.000Z');
    const withoutZone = parseRace(raceId, { ...detail, timezone: undefined }, context);
    expect(withoutZone.events[0].startsAt).toBe('2026-11-15T09:00:00');
  });

  it('names a time in any other spelling as a problem instead of reading it in the laptop\'s zone', () => {
    const detail = { ...fixture('race_detail.json').data, timezone: 'Europe/Madrid', date: 'Sun Nov 15 2026 09:00:00' };
    detail.events = detail.events.map((e: Record<string, unknown>) => ({ ...e, date: undefined }));
    expect(() => parseRace(raceId, detail, context)).toThrow(new RecordProblem('has date "Sun Nov 15 2026 09:00:00", which is not a date and time'));
  });
});

describe('Copernico mapping of the reference fixtures', () => {
  it('makes one event row per (race, event) with distance in km', () => {
    expect(race.events.map((e) => e.eventId)).toEqual([`${raceId}:21K`, `${raceId}:10K`]);
    expect(race.events[0].row).toMatchObject({
      event_id: `${raceId}:21K`,
      event_name: 'Media Maratón Río Verde 2026 21K',
      event_date: '2026-11-15T08:00:00.000Z',
      location: 'Marbella, Málaga',
      discipline: 'running',
      distance: 21.097,
      event_type: 'individual',
      organizer: 'Cronometrajes Sur S.L.',
      status: 'open',
      max_participants: 2500,
      registration_fee: 28,
      currency: 'EUR',
      credentials_used: 'Oficina',
    });
  });

  it('repairs double-encoded UTF-8 and leaves genuine accents alone', () => {
    expect(repairText('Ã‰milie')).toBe('Émilie');
    expect(repairText('Running Club NÃ®mes')).toBe('Running Club Nîmes');
    expect(repairText('MaratÃ³n')).toBe('Maratón');
    expect(repairText('Tomás Aguirre Belmonte')).toBe('Tomás Aguirre Belmonte');
    expect(repairText("L'Hôte")).toBe("L'Hôte");
  });

  it('maps list items to participants with gender folded to M / F / X', () => {
    const [lucia] = fixture('race_athletes.json').data;
    expect(participantRow(`${raceId}:21K`, lucia, null, context)).toEqual({
      event_id: `${raceId}:21K`,
      participant_id: '7QK2M9PA',
      bib_number: '1',
      first_name: 'Lucía',
      last_name: 'Ferrándiz Soto',
      date_of_birth: '1992-04-03',
      gender: 'F',
      nationality: 'ESP',
      club_team: 'CA Costa del Sol',
      category: 'Senior F',
      license_number: null,
      registration_status: 'registered',
      fetched_date: context.fetchedAt,
      updated_at: context.fetchedAt,
      credentials_used: 'Oficina',
      timing_partner_id: null,
    });
    expect(participantRow('x', { id: 'T1', gender: 'mixed' }, null, context).gender).toBe('X');
  });

  it('maps a finished athlete to a result with splits, net total, gun time and positions', () => {
    const detail = fixture('athlete_detail.json').data;
    const row = resultRow(`${raceId}:21K`, detail, eventBlock(detail, '21K', race)!, context);
    expect(row).toMatchObject({
      participant_id: '3HX8D1TR',
      bib_number: '214',
      first_name: 'Tomás',
      last_name: 'Aguirre Belmonte',
      category: 'M45',
      start_time: '2026-11-15T08:00:00.000Z',
      finish_time: '2026-11-15T09:36:34.310Z',
      total_time: '1:35:53.060',
      gun_time: '1:36:34.310',
      overall_position: 160,
      category_position: 16,
      status: 'finished',
    });
    const splits = JSON.parse(row.split_times as string);
    expect(Object.keys(splits)).toEqual(['Salida', '5K', '10K', 'Meta']);
    expect(splits['10K']).toEqual({ order: 2, distance: 10000, time_ms: 2702480, net_ms: 2661230, pos: 174, posCat: 19, posGen: 149 });
  });

  it('maps a not-started athlete without inventing times, and repairs its name', () => {
    const detail = fixture('athlete_detail_notstarted.json').data;
    const row = resultRow(`${raceId}:10K`, detail, eventBlock(detail, '10K', race)!, context);
    expect(row).toMatchObject({
      first_name: 'Émilie',
      start_time: null,
      finish_time: null,
      total_time: null,
      gun_time: null,
      split_times: null,
      overall_position: null,
      status: 'notstarted',
    });
    expect(resultRowFromSummary('e', fixture('race_athletes.json').data[2], context)).toMatchObject({ bib_number: '3051', status: 'notstarted', total_time: null });
  });

  it('does not take a drop-out\'s last split as the finish', () => {
    const detail = structuredClone(fixture('athlete_detail.json').data);
    const block = detail.events[0];
    delete block.times.Meta;
    block.status = 'dnf';
    const row = resultRow('e', detail, block, context);
    expect(row).toMatchObject({ total_time: null, finish_time: null, overall_position: null, status: 'dnf' });
    expect(Object.keys(JSON.parse(row.split_times as string))).toEqual(['Salida', '5K', '10K']);
  });

  it('accepts the demo layout (event fields directly in data)', () => {
    const { events, ...person } = fixture('athlete_detail.json').data;
    const flat = { ...person, ...events[0] };
    expect(resultRow('e', flat, eventBlock(flat, '21K', race)!, context).total_time).toBe('1:35:53.060');
  });

  it('names the field of a malformed time', () => {
    const detail = structuredClone(fixture('athlete_detail.json').data);
    detail.events[0].times['5K'].netTime = 'soon';
    expect(() => resultRow('e', detail, detail.events[0], context)).toThrow(RecordProblem);
    expect(() => resultRow('e', detail, detail.events[0], context)).toThrow('times["5K"].netTime "soon"');
  });

  it('formats milliseconds as H:MM:SS.mmm', () => {
    expect(durationText(5753060)).toBe('1:35:53.060');
    expect(durationText(36_000_001)).toBe('10:00:00.001');
    expect(durationText(0)).toBeNull();
  });

  it('stores the fixtures and the unified views show consistent values', () => {
    const db = openDatabase(':memory:');
    const { tables } = copernico;
    upsertRows(db, tables.events.table, tables.events.key, race.events.map((e) => e.row));
    const athletes = fixture('race_athletes.json').data;
    upsertRows(db, tables.participants.table, tables.participants.key,
      athletes.map((a: { event: string }) => participantRow(`${raceId}:${a.event}`, a, null, context)));
    const detail = fixture('athlete_detail.json').data;
    upsertRows(db, tables.results!.table, tables.results!.key, [
      resultRow(`${raceId}:21K`, detail, eventBlock(detail, '21K', race)!, context),
      resultRowFromSummary(`${raceId}:10K`, athletes[2], context),
    ]);
    // The app's id of a Copernico runner carries its event (store/runner-id.ts); the athlete id follows it.
    const athleteId = `substr(participant_id, length(event_id) + 2) AS participant_id`;
    const people = db.prepare(`SELECT ${athleteId}, event_id, gender, age, bib_number FROM unified_participants
                               WHERE source_provider = 'copernico' ORDER BY 1`).all();
    expect(people).toEqual([
      { participant_id: '3HX8D1TR', event_id: `${raceId}:21K`, gender: 'M', age: 47, bib_number: '214' },
      { participant_id: '7QK2M9PA', event_id: `${raceId}:21K`, gender: 'F', age: 34, bib_number: '1' },
      { participant_id: 'B64ZW0LE', event_id: `${raceId}:10K`, gender: 'F', age: 23, bib_number: '3051' },
    ]);
    const results = db.prepare(`SELECT ${athleteId}, gender, age, results_time, results_gun_time, overall_place, status
                                FROM unified_results ORDER BY 1`).all();
    expect(results).toEqual([
      { participant_id: '3HX8D1TR', gender: 'M', age: 47, results_time: '1:35:53.060', results_gun_time: '1:36:34.310', overall_place: 160, status: 'finished' },
      { participant_id: 'B64ZW0LE', gender: 'F', age: 23, results_time: null, results_gun_time: null, overall_place: null, status: 'notstarted' },
    ]);
    db.close();
  });
});
