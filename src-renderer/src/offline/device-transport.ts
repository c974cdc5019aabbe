import { createContext, useContext, useEffect, useState } from 'react';
import type { Transport } from '../api/client.ts';
import { answeredFromCopy, type CopyAnswered, type Device, type DeviceState } from './device.ts';

/**
 * The station transport of a joined device: the calls its copy can answer go through the
 * device (the station's answer, or the copy's when the station is unreachable); every other
 * call goes to the station as before.
 */
export function withDeviceCopy(station: Transport, device: Device): Transport {
  const copyAnswered = new Set<string>(answeredFromCopy);
  return {
    ...station,
    invoke: (name, input) => (copyAnswered.has(name) ? device.read(name as CopyAnswered, input as never) : station.invoke(name, input)),
  };
}

/** The joined device of this page; null in the desktop app, whose core is always there. */
export const DeviceContext = createContext<Device | null>(null);

export function useDevice(): Device | null {
  return useContext(DeviceContext);
}

export function useDeviceState(): DeviceState | null {
  const device = useDevice();
  const [state, setState] = useState<DeviceState | null>(() => device?.current() ?? null);
  useEffect(() => {
    if (!device) return;
    setState(device.current());
    return device.subscribe(setState);
  }, [device]);
  return state;
}
