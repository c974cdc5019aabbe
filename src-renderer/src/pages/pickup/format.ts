/* Display helpers shared by the pickup and browse screens. */

export const providerLabels: Record<string, string> = {
  runsignup: 'RunSignUp',
  chronotrack: 'ChronoTrack',
  raceroster: 'Race Roster',
  copernico: 'Copernico',
  haku: 'Haku',
  local: 'Walk-up',
};

export function providerLabel(provider: string): string {
  return providerLabels[provider] ?? provider;
}

export function fullName(first: string | null | undefined, last: string | null | undefined): string {
  const name = [first, last].filter(Boolean).join(' ').trim();
  return name || '(no name)';
}

const genderWords: Record<string, string> = { M: 'Male', F: 'Female', X: 'Non-binary' };

export function ageGender(age: number | null | undefined, gender: string | null | undefined): string {
  const parts = [age !== null && age !== undefined ? String(age) : null, gender ? (genderWords[gender] ?? gender) : null].filter(Boolean);
  return parts.length ? parts.join(' · ') : '—';
}

export function place(city: string | null | undefined, state: string | null | undefined): string {
  return [city, state].filter(Boolean).join(', ') || '—';
}

/** "10:42" today, "Sat 10:42" this week, else the date: how a volunteer reads a time. */
export function shortTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (at.toDateString() === now.toDateString()) return time;
  if (Math.abs(now.getTime() - at.getTime()) < 6 * 86_400_000) return `${at.toLocaleDateString(undefined, { weekday: 'short' })} ${time}`;
  return `${at.toLocaleDateString()} ${time}`;
}

export function eventKey(provider: string, eventId: string): string {
  return `${provider}:${eventId}`;
}

/** lookup.search rows carry the venue columns as 0/1 integers (SQLite), browse rows as booleans. */
export function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

export type ProviderName = 'runsignup' | 'chronotrack' | 'raceroster' | 'copernico' | 'haku';

/** A runner's reference in pickup.* calls: the event's provider and its stable participant id. */
export function runnerRef(row: { source_provider: string; participant_id: string }): { provider: ProviderName; participantId: string } {
  return { provider: row.source_provider as ProviderName, participantId: row.participant_id };
}

/** Splits "City Run 2026 › 5K" into the event (5K) and the level above it, for compact tiles. */
export function splitEventName(name: string): { event: string; parent: string | null } {
  const at = name.lastIndexOf(' › ');
  return at < 0 ? { event: name, parent: null } : { event: name.slice(at + 3), parent: name.slice(0, at) };
}
