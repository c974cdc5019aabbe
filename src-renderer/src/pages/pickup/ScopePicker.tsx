import { useMemo } from 'react';
import { MultiSelect } from '@mantine/core';
import { useQuery } from '../../api/hooks.ts';
import { eventKey, providerLabel, type ProviderName } from './format.ts';
import type { PickupScopeState } from './scope.ts';

/** Which events this table serves: search, bib lookup, counters and walk-ups follow it. */
export function ScopePicker({ state }: { state: PickupScopeState }) {
  // Every event, whatever the current scope, to choose from.
  const events = useQuery('pickup.counters', {});
  const options = useMemo(() => {
    const byKey = new Map<string, { value: string; label: string }>();
    for (const event of events.data?.events ?? []) {
      const value = eventKey(event.provider, event.eventId);
      if (!byKey.has(value)) byKey.set(value, { value, label: `${event.eventName ?? event.eventId} (${providerLabel(event.provider)})` });
    }
    return [...byKey.values()];
  }, [events.data]);
  const value = (state.scope ?? []).map((event) => eventKey(event.provider, event.eventId));
  return (
    <MultiSelect
      label="Events at this table"
      title={state.keptIn === 'device' ? 'Kept on this device' : 'Kept on this station; joined devices follow it until they choose their own'}
      placeholder={value.length ? undefined : 'All events'}
      data={options}
      value={value.filter((key) => options.some((o) => o.value === key))}
      onChange={(keys) =>
        void state.setScope(
          keys.map((key) => {
            const at = key.indexOf(':');
            return { provider: key.slice(0, at) as ProviderName, eventId: key.slice(at + 1) };
          }),
        )
      }
      clearable
      searchable
      size="sm"
      maw={560}
      comboboxProps={{ withinPortal: true }}
      data-testid="scope-picker"
    />
  );
}
