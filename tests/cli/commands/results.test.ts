import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCore } from '../../helpers/core.ts';
import { seedEvent, eventId } from '../../core/results/seed.ts';
import { seedChronoTrackDay, chronoTrackDayFile, ctEventId } from '../../core/results/races-seed.ts';
import { afterOneBom } from '../../helpers/csv.ts';
import { runRacedesk } from '../../helpers/cli.ts';

let dataDir: string;
let files: string;

const racedesk = (args: string[]) => runRacedesk({ dataDir }, args);

const count = () => {
  const core = createTestCore({ dataDir });
  try {
    return (core.db.prepare('SELECT count(*) AS n FROM crew_results').get() as { n: number }).n;
  } finally {
    core.close();
  }
};

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'racedesk-cli-results-'));
  files = mkdtempSync(join(tmpdir(), 'racedesk-cli-files-'));
  const core = createTestCore({ dataDir });
  seedEvent(core.db);
  seedChronoTrackDay(core.db);
  core.close();
  writeFileSync(join(files, 'good.csv'), 'Bib,Chip Time,Gun Time,Status\n101,40:10.4,40:30,\n102,41:00,41:20,\n103,41:00,41:05,\n105,,,DNF\n');
  writeFileSync(join(files, 'day.csv'), chronoTrackDayFile);
  writeFileSync(join(files, 'bad.csv'), 'Bib,Chip Time\n101,40:10\n999,41:00\n102,4x:00\n');
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

describe('racedesk results', () => {
  it('with --strict refuses a file with bad rows: exit 1, a line per problem, nothing written', async () => {
    const run = await racedesk(['results', 'import', join(files, 'bad.csv'), '--event', eventId, '--strict']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('line 3 (bib 999): bib 999 is not registered in this event');
    expect(run.stdout).toContain('line 4 (bib 102): chip time: "4x:00" is not a time');
    expect(run.stderr).toContain('2 rows have problems; nothing was imported (--strict).');
    expect(count()).toBe(0);
  });

  it('reports only with --dry-run, then imports, shows and exports', async () => {
    const dry = await racedesk(['results', 'import', join(files, 'good.csv'), '--event', eventId, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('4 rows — 4 new, 0 updated');
    expect(count()).toBe(0);

    const run = await racedesk(['results', 'import', join(files, 'good.csv'), '--event', eventId]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Imported: 4 rows written');

    const show = await racedesk(['--json', 'results', 'show', '--event', eventId, '--by', 'overall']);
    expect(show.code).toBe(0);
    const rows = JSON.parse(show.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.bib_number, r.first_name, r.last_name, r.time, r.overall_place, r.gender_place, r.age_group, r.age_group_place, r.status])).toEqual([
      ['101', 'Ann', 'Smith', '40:10.4', 1, 1, '30-39', 1, 'FIN'],
      ['102', 'Bob', 'Jones', '41:00.0', 2, 1, '20-29', 1, 'FIN'],
      ['103', 'Cid', 'Lee', '41:00.0', 2, 1, '30-39', 1, 'FIN'],
      ['105', 'Eve', 'Núñez', '', null, null, '20-29', null, 'DNF'],
    ]);

    const byAge = await racedesk(['results', 'show', '--event', eventId, '--by', 'age']);
    expect(byAge.stdout.split('\n')[0]).toBe('City Run 2026 › City 10K (runsignup), placed by chip time');

    const csvFile = join(files, 'out.csv');
    expect((await racedesk(['results', 'export', '--event', eventId, csvFile])).code).toBe(0);
    expect(afterOneBom(readFileSync(csvFile, 'utf8')).split('\r\n').slice(0, 3)).toEqual([
      'Place,Bib,First Name,Last Name,Gender,Age,Age Group,Time,Chip Time,Gun Time,Gender Place,Age Group Place,Status',
      '1,101,Ann,Smith,F,34,30-39,40:10.4,40:10.4,40:30.0,1,1,FIN',
      '2,102,Bob,Jones,M,29,20-29,41:00.0,41:00.0,41:20.0,1,1,FIN',
    ]);
  });

  it('rejects a wrong --by as a usage error', async () => {
    const run = await racedesk(['results', 'show', '--event', eventId, '--by', 'team']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--by must be overall, gender or age');
  });
});

describe('racedesk results held', () => {
  it('imports the clean rows of a file with bad ones, lists the held rows, and resolves them', async () => {
    const held = join(files, 'held.csv');
    writeFileSync(held, 'Bib,Chip Time\n106,50:00\n999,41:00\n102,4x:00\n,47:00\n106,50:00\n');
    const run = await racedesk(['results', 'import', held, '--event', eventId]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('5 rows — 1 new, 0 updated, 0 unchanged, 0 without a result, 1 repeated, 3 with problems');
    expect(run.stdout).toContain('Imported: 1 rows written, 3 held, ');
    const again = await racedesk(['results', 'import', held, '--event', eventId]);
    expect(again.stdout).toContain('Imported: 0 rows written, 0 held (3 held already), ');

    const list = await racedesk(['--json', 'results', 'held', '--event', eventId]);
    expect(list.code).toBe(0);
    const rows = (JSON.parse(list.stdout) as { rows: Array<{ id: number; line: number; bib: string; kind: string; reasons: string[] }> }).rows;
    expect(rows.map((row) => [row.line, row.bib, row.kind])).toEqual([
      [3, '999', 'unknown_bib'],
      [4, '102', 'bad_value'],
      [5, '', 'no_bib'],
    ]);
    const human = await racedesk(['results', 'held', '--event', eventId]);
    expect(human.stdout.split('\n')[0]).toBe('City Run 2026 › City 10K (runsignup): 3 held rows open');
    expect(human.stdout).toMatch(/held\.csv:3\s+999\s+41:00\s+bib 999 is not registered in this event/);

    expect((await racedesk(['results', 'held', 'correct', String(rows[1].id), '--chip-time', '41:30'])).stdout).toBe(`Held row ${rows[1].id} corrected (participant 9102).\n`);
    expect((await racedesk(['results', 'held', 'assign', String(rows[2].id), '--participant', '9104'])).stdout).toBe(`Held row ${rows[2].id} assigned (participant 9104).\n`);
    expect((await racedesk(['results', 'held', 'dismiss', String(rows[0].id)])).stdout).toBe(`Held row ${rows[0].id} dismissed.\n`);
    const twice = await racedesk(['results', 'held', 'dismiss', String(rows[0].id)]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/was already dismissed by CLI at /);
    expect((await racedesk(['results', 'held', '--event', eventId])).stdout.split('\n')[0]).toBe('City Run 2026 › City 10K (runsignup): 0 held rows open');
    expect((await racedesk(['results', 'held'])).code).toBe(2);
  });
});

describe('racedesk results for a race day with several distances', () => {
  it('imports one file for the day, shows and exports race by race, and filters with --race', async () => {
    expect((await racedesk(['results', 'import', join(files, 'day.csv'), '--event', ctEventId])).code).toBe(0);

    const show = await racedesk(['results', 'show', '--event', ctEventId]);
    expect(show.code).toBe(0);
    const sections = show.stdout.split('\n\n');
    expect(sections[0]).toBe('Harbor Run Day (chronotrack), placed by chip time');
    expect(sections[1]).toBe('Races: r5 5K, r21 Half Marathon');
    expect(sections[2].split('\n')[0]).toBe('5K (race r5)');
    expect(sections[2].split('\n')[3]).toMatch(/^1\s+2\s+Ben\s+Bell\s+M\s+40-49\s+20:00\s+1\s+1\s+FIN$/);
    expect(sections[3].split('\n')[0]).toBe('Half Marathon (race r21)');
    expect(sections[3].split('\n')[3]).toMatch(/^1\s+21\s+Dan\s+Dorn/);
    expect(sections[4].split('\n')[0]).toBe('Race not known (not placed)');

    const half = await racedesk(['--json', 'results', 'show', '--event', ctEventId, '--race', 'r21']);
    expect((JSON.parse(half.stdout) as Array<Record<string, unknown>>).map((r) => [r.race_name, r.bib_number, r.overall_place])).toEqual([
      ['Half Marathon', '21', 1],
      ['Half Marathon', '22', 2],
      ['Half Marathon', '23', null],
    ]);
    const unknownRace = await racedesk(['results', 'show', '--event', ctEventId, '--race', 'r42']);
    expect(unknownRace.code).not.toBe(0);
    expect(unknownRace.stderr).toContain('No race "r42" in Harbor Run Day; its races are: r5 (5K), r21 (Half Marathon).');

    const csvFile = join(files, 'day-out.csv');
    expect((await racedesk(['results', 'export', '--event', ctEventId, '--race', 'r5', csvFile])).code).toBe(0);
    expect(afterOneBom(readFileSync(csvFile, 'utf8')).split('\r\n').slice(0, 2)).toEqual([
      'Race,Place,Bib,First Name,Last Name,Gender,Age,Age Group,Time,Chip Time,Gun Time,Gender Place,Age Group Place,Status',
      '5K,1,2,Ben,Bell,M,40,40-49,20:00,20:00,20:30,1,1,FIN',
    ]);
  });

  it('sets the award rules and rejects a wrong age basis as a usage error', async () => {
    const set = await racedesk(['results', 'settings', '--event', ctEventId, '--age-basis', 'year-end', '--exclude-overall', '1']);
    expect(set.stderr).toBe('');
    expect(set.stdout).toBe(
      'Placed by chip time; age groups start at 0, 20, 30, 40, 50, 60, 70; age on 31 December of the race year.\n' +
        'The top 1 of each gender take no age-group place.\n',
    );
    // Cal (26) is the 5K's second man: with Ben out of the age groups, he keeps M20-29 first.
    const show = await racedesk(['--json', 'results', 'show', '--event', ctEventId, '--race', 'r5']);
    expect((JSON.parse(show.stdout) as Array<Record<string, unknown>>).map((r) => [r.bib_number, r.age, r.age_group_place])).toEqual([
      ['2', 40, null],
      ['1', 36, null],
      ['3', 26, 1],
    ]);
    const wrong = await racedesk(['results', 'settings', '--event', ctEventId, '--age-basis', 'birthday']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--age-basis must be race-day, year-end or provider-date, got "birthday".');
  });
});
