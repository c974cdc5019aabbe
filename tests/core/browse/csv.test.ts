import { afterEach, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { csvDocument } from '../../../src-main/core/browse/csv.ts';
import { seedEvent, eventId } from '../results/seed.ts';

/*
 * Every export goes through the one CSV writer (browse/csv.ts), so a runner's name typed at the
 * desk can never reach a spreadsheet as a live formula (OWASP "CSV injection").
 */
const hyperlink = '=HYPERLINK("http://x","y")';
const defused = `"'=HYPERLINK(""http://x"",""y"")"`;

describe('CSV exports are safe to open', () => {
  let core: TestCore;
  afterEach(() => core.cleanup());

  it('defuses a walk-up named as a formula in the participants export and the results export, with one byte-order mark', async () => {
    core = createTestCore();
    seedEvent(core.db);
    await call(core, 'pickup.registerWalkUp', {
      provider: 'runsignup', eventId, firstName: hyperlink, lastName: '@SUM(1+1)', gender: 'F', dateOfBirth: '1990-01-01', bib: 'W1', checkIn: false,
    });

    const participants = await call(core, 'browse.exportCsv', { table: 'participants', filter: { walkUp: true } });
    expect(participants.rowCount).toBe(1);
    expect(participants.csv.match(/^\uFEFF*/)?.[0].length, 'byte-order marks at the start').toBe(1);
    expect(participants.csv).toContain(`,${defused},'@SUM(1+1),`);
    expect(participants.csv).not.toMatch(/(^|,)"?[=@]/m);

    await call(core, 'results.accept', { event: eventId, fileName: 'finish.csv', content: 'Bib,Time\nW1,40:00\n101,41:00\n' });
    const results = await call(core, 'results.exportCsv', { event: eventId });
    expect(results.csv.match(/^\uFEFF*/)?.[0].length, 'byte-order marks at the start').toBe(1);
    const walkUpLine = results.csv.split('\r\n').find((line) => line.includes('W1'));
    expect(walkUpLine).toContain(`,W1,${defused},'@SUM(1+1),`);
    expect(results.csv).not.toMatch(/(^|,)"?[=@]/m);
  });

  it('prefixes every cell a spreadsheet would run, and leaves plain signed numbers and times readable', () => {
    const csv = csvDocument([['=1+1', '+A1', '-2+3+cmd|/C calc!A0', '@SUM(A1)', '\t=1', '\r=1', '-5', '+3', '-0:12.4', -7, 'Ann-Marie', '0:40:10.4']]);
    expect(csv.slice(1).split('\r\n')[0].split(',')).toEqual([
      "'=1+1", "'+A1", "'-2+3+cmd|/C calc!A0", "'@SUM(A1)", "'\t=1", `"'\r=1"`, '-5', '+3', '-0:12.4', '-7', 'Ann-Marie', '0:40:10.4',
    ]);
  });
});
