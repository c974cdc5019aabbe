import { useCallback, useState } from 'react';
import { useClient, useQuery } from '../../api/hooks.ts';
import type { ProviderName } from './format.ts';

/*
 * The events this pickup table serves (core lookup/scope.ts), passed with every lookup and
 * counters call. The station laptop keeps its scope in its settings (lookup.stationScope); a joined
 * browser keeps its own in localStorage, and follows the station's until it picks one.
 */
export type PickupScope = Array<{ provider: ProviderName; eventId: string }>;

const storageKey = 'racedesk.pickupScope';

/** A device's own scope, or null when it has none (it follows the station). */
export function readDeviceScope(storage: Storage): PickupScope | null {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(storageKey) ?? 'null');
    if (!Array.isArray(parsed)) return null;
    return parsed.filter((e): e is PickupScope[number] => typeof e?.provider === 'string' && typeof e?.eventId === 'string');
  } catch {
    return null;
  }
}

export function writeDeviceScope(storage: Storage, scope: PickupScope): void {
  storage.setItem(storageKey, JSON.stringify(scope));
}

export interface PickupScopeState {
  /** The scope in force; empty is every event. Undefined while the station's is still loading. */
  scope: PickupScope | undefined;
  setScope(scope: PickupScope): Promise<void>;
  /** Where it is kept, for the picker's hint. */
  keptIn: 'station' | 'device';
}

export function usePickupScope(): PickupScopeState {
  const client = useClient();
  const onLaptop = typeof window !== 'undefined' && window.racedesk !== undefined;
  const station = useQuery('lookup.stationScope', {});
  const [device, setDevice] = useState<PickupScope | null>(() => (onLaptop ? null : readDeviceScope(window.localStorage)));
  const setScope = useCallback(
    async (scope: PickupScope) => {
      if (onLaptop) {
        await client.call('lookup.setStationScope', { scope });
        station.reload();
      } else {
        writeDeviceScope(window.localStorage, scope);
        setDevice(scope);
      }
    },
    [client, onLaptop, station],
  );
  const fromStation = station.data ?? (station.error ? [] : undefined);
  return { scope: device ?? (fromStation as PickupScope | undefined), setScope, keptIn: onLaptop ? 'station' : 'device' };
}
