import type { ProviderName } from '../core/providers/types.ts';
import { startRunSignUpSimulator, demoRunSignUpCredential } from './runsignup.ts';
import { makeRunSignUpDataset } from '../datasets/runsignup.ts';
import { demoParticipantsPerSubEvent, startRaceRosterSimulator } from './raceroster.ts';
import { demoRegistrationsPerEvent, startHakuSimulator } from './haku.ts';
import { startChronotrackSimulator } from './chronotrack.ts';
import { simulatorPreset, startCopernicoSimulator } from './copernico.ts';

/*
 * Every provider simulator, for `racedesk simulate`, demo mode and UI tests: one line per
 * provider, like registry.ts. `size` picks a small data set (tests) or a demo-sized one.
 */
export interface SimulatorOptions {
  port?: number;
  host?: string;
  size?: 'small' | 'demo';
  seed?: number;
}

export interface StartedSimulator {
  provider: ProviderName;
  /** Ready for `racedesk account add <provider> --base-url`. */
  url: string;
  /** The secret JSON the simulator accepts. */
  credential: Record<string, string>;
  close(): Promise<void>;
}

type Starter = (options: SimulatorOptions) => Promise<StartedSimulator>;

const starters: Partial<Record<ProviderName, Starter>> = {
  runsignup: async ({ port, host, size, seed }) => {
    const dataset = makeRunSignUpDataset(
      size === 'demo' ? { seed, races: 2, eventsPerRace: 2, participantsPerEvent: 400 } : { seed },
    );
    const sim = await startRunSignUpSimulator({ dataset, port, host });
    return { provider: 'runsignup', url: sim.url, credential: { ...demoRunSignUpCredential }, close: () => sim.close() };
  },
  chronotrack: async ({ port, host, size }) => {
    const sim = await startChronotrackSimulator({ port, host, entriesPerEvent: size === 'demo' ? 400 : 12 });
    return { provider: 'chronotrack', url: sim.url, credential: { ...sim.credentials }, close: () => sim.close() };
  },
  copernico: async ({ port, host, size }) => {
    const sim = await startCopernicoSimulator({ port, host, athletesPerRace: size === 'demo' ? 400 : 12 });
    // With the published preset, as a crew would set it up: results in one call per event.
    return { provider: 'copernico', url: sim.url, credential: { ...sim.credentials, ...simulatorPreset }, close: () => sim.close() };
  },
  raceroster: async ({ port, host, size, seed }) => {
    const sim = await startRaceRosterSimulator({ port, host, seed, participantsPerSubEvent: size === 'demo' ? demoParticipantsPerSubEvent : undefined });
    return { provider: 'raceroster', url: sim.url, credential: { ...sim.secret }, close: () => sim.close() };
  },
  haku: async ({ port, host, size, seed }) => {
    const sim = await startHakuSimulator({ port, host, seed, registrationsPerEvent: size === 'demo' ? demoRegistrationsPerEvent : undefined });
    return { provider: 'haku', url: sim.url, credential: { ...sim.secret }, close: () => sim.close() };
  },
};

export function simulatedProviders(): ProviderName[] {
  return Object.keys(starters) as ProviderName[];
}

export function startProviderSimulator(provider: ProviderName, options: SimulatorOptions = {}): Promise<StartedSimulator> {
  const start = starters[provider];
  if (!start) throw new Error(`No simulator for ${provider}.`);
  return start(options);
}
