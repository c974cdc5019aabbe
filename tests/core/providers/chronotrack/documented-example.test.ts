import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entryRow } from '../../../../src-main/core/providers/chronotrack/mapping.ts';

// Shaped after the fields independent clients read from ChronoTrack's entry list (field-check.md §3:
// string ids, entry_bib, athlete names, "M"/"F", birthdate YYYY-MM-DD, entry_status "CONF") and
// nothing else: no contact fields, no race id, no location.
const entry = JSON.parse(readFileSync(new URL('./fixtures/documented-entry.json', import.meta.url), 'utf8'));
// GET /entry/{id} with the fields the one public client that reads contacts takes from it (field-check.md §3, C5).
const detail = JSON.parse(readFileSync(new URL('./fixtures/documented-entry-detail.json', import.meta.url), 'utf8'));

describe('ChronoTrack mapping of an entry shaped like the documented fields', () => {
  it('maps the documented fields and leaves what the list does not send NULL', () => {
    expect(entryRow(entry, '90412', { accountLabel: 'Office laptop', timingPartnerId: null })).toMatchObject({
      entry_id: '77120044',
      event_id: '90412',
      entry_bib: '1204',
      entry_name: 'Priya Okonkwo',
      entry_status: 'CONF',
      athlete_first_name: 'Priya',
      athlete_last_name: 'Okonkwo',
      athlete_sex: 'F',
      athlete_birthdate: '1988-07-04',
      athlete_email: null,
      athlete_home_phone: null,
      athlete_mobile_phone: null,
      race_id: null,
      location: null,
      team_id: null,
    });
  });

  it('takes the contact fields from the entry detail', () => {
    const withDetail = { ...entry, athlete_email: detail.entry.athlete_email, athlete_home_phone: detail.entry.athlete_home_phone, athlete_mobile_phone: detail.entry.athlete_mobile_phone };
    expect(entryRow(withDetail, '90412', { accountLabel: 'Office laptop', timingPartnerId: null })).toMatchObject({
      entry_id: '77120044',
      athlete_email: 'priya.okonkwo@example.com',
      athlete_mobile_phone: '309-555-0147',
      athlete_home_phone: null,
    });
  });
});
