/*
 * Filter bar state -> the browse.* filter object. "All" choices are left out of the filter (not
 * sent as empty strings), and the search text is trimmed, so the handler sees only real filters.
 */
export interface FilterBar {
  search: string;
  provider: string | null;
  event: string | null;
  gender: 'all' | 'M' | 'F' | 'X';
  checkedIn: 'all' | 'yes' | 'no';
  walkUp: boolean;
  status: string | null;
}

export const emptyFilterBar: FilterBar = { search: '', provider: null, event: null, gender: 'all', checkedIn: 'all', walkUp: false, status: null };

type Provider = 'runsignup' | 'chronotrack' | 'raceroster' | 'copernico' | 'haku';

export interface ParticipantFilter {
  provider?: Provider;
  eventId?: string;
  gender?: 'M' | 'F' | 'X';
  checkedIn?: boolean;
  walkUp?: boolean;
  search?: string;
}

/** The event select's value is "provider|eventId": an event id alone is ambiguous across providers. */
function eventParts(bar: FilterBar): { provider?: Provider; eventId?: string } {
  if (!bar.event) return bar.provider ? { provider: bar.provider as Provider } : {};
  const at = bar.event.indexOf('|');
  return { provider: bar.event.slice(0, at) as Provider, eventId: bar.event.slice(at + 1) };
}

export function participantFilter(bar: FilterBar): ParticipantFilter {
  const filter: ParticipantFilter = { ...eventParts(bar) };
  if (bar.gender !== 'all') filter.gender = bar.gender;
  if (bar.checkedIn !== 'all') filter.checkedIn = bar.checkedIn === 'yes';
  if (bar.walkUp) filter.walkUp = true;
  if (bar.search.trim()) filter.search = bar.search.trim();
  return filter;
}

export function eventFilter(bar: FilterBar): { provider?: Provider; search?: string } {
  const filter: { provider?: Provider; search?: string } = {};
  if (bar.provider) filter.provider = bar.provider as Provider;
  if (bar.search.trim()) filter.search = bar.search.trim();
  return filter;
}

export function resultFilter(bar: FilterBar): { provider?: Provider; eventId?: string; gender?: 'M' | 'F' | 'X'; status?: string; search?: string } {
  const filter: ReturnType<typeof resultFilter> = { ...eventParts(bar) };
  if (bar.gender !== 'all') filter.gender = bar.gender;
  if (bar.status) filter.status = bar.status;
  if (bar.search.trim()) filter.search = bar.search.trim();
  return filter;
}
