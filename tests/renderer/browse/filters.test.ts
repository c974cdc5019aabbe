import { describe, expect, it } from 'vitest';
import { emptyFilterBar, eventFilter, participantFilter, resultFilter } from '../../../src-renderer/src/pages/browse/filters.ts';

describe('filter bar to browse filters', () => {
  it('sends nothing for "all" choices', () => {
    expect(participantFilter(emptyFilterBar)).toEqual({});
    expect(eventFilter(emptyFilterBar)).toEqual({});
    expect(resultFilter(emptyFilterBar)).toEqual({});
  });

  it('turns each choice into its filter field', () => {
    expect(participantFilter({ ...emptyFilterBar, event: 'haku|h-42', gender: 'F', checkedIn: 'no', walkUp: true, search: '  nunez ' })).toEqual({
      provider: 'haku',
      eventId: 'h-42',
      gender: 'F',
      checkedIn: false,
      walkUp: true,
      search: 'nunez',
    });
    expect(participantFilter({ ...emptyFilterBar, provider: 'runsignup', checkedIn: 'yes' })).toEqual({ provider: 'runsignup', checkedIn: true });
    expect(resultFilter({ ...emptyFilterBar, status: 'DNF', gender: 'X' })).toEqual({ status: 'DNF', gender: 'X' });
  });
});
