import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseParticipant, participantRow } from '../../../../src-main/core/providers/runsignup/mapping.ts';
import type { RecordIssue } from '../../../../src-main/core/providers/record-problems.ts';

// Shaped after RunSignUp's documented participants answer (field-check.md §2, R1/R2): the per-event
// array is empty and every registration sits in the element's top-level list; bib and chip are null
// before assignment; dob is YYYY-MM-DD; fees are "$55.00" strings; most optional fields are absent.
const payload = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'documented-participants.json'), 'utf8'));
const context = { accountLabel: 'Main timer account', timingPartnerId: 7, fetchedAt: '2025-06-01T12:00:00.000Z' };

describe('RunSignUp mapping of a payload shaped like the documented example', () => {
  const [element] = payload;
  const problems: RecordIssue[] = [];
  const rows = element.participants.map((raw: unknown) => participantRow(418001, parseParticipant(raw, 'documented example', problems)!, context));

  it('reads the registration from the top-level list, not the empty per-event one', () => {
    expect(element.event.participants).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it('fills the columns the example carries and leaves the absent ones NULL', () => {
    expect(rows[0]).toMatchObject({
      race_id: 418001,
      event_id: 700101,
      registration_id: 5501001,
      user_id: 9100234,
      first_name: 'Ansel',
      last_name: 'Ferreira',
      dob: '1986-01-06',
      gender: 'M',
      bib_num: null,
      chip_num: null,
      age: 38,
      // 12:40 US Eastern (EST) as an instant.
      registration_date: '2025-02-06T17:40:00.000Z',
      race_fee: 55,
      amount_paid: 59.12,
      team_info: null,
      team_name: null,
      last_modified: 1738864800,
    });
  });
});
