import { RaceDeskError } from '../errors.ts';
import type { AnyProviderDefinition, ProviderName } from './types.ts';
import { runsignup } from './runsignup/definition.ts';
import { chronotrack } from './chronotrack/definition.ts';
import { copernico } from './copernico/definition.ts';
import { raceroster } from './raceroster/definition.ts';
import { haku } from './haku/definition.ts';

/*
 * Every provider RaceDesk speaks to. A new provider is one folder beside runsignup/ plus one
 * line here.
 */
const definitions: AnyProviderDefinition[] = [runsignup, chronotrack, raceroster, haku, copernico];

export function listProviders(): readonly AnyProviderDefinition[] {
  return definitions;
}

export function getProvider(name: string): AnyProviderDefinition {
  const definition = definitions.find((d) => d.name === name);
  if (!definition) {
    const known = definitions.map((d) => d.name).join(', ');
    throw new RaceDeskError('invalid_input', `Unknown provider "${name}". Known providers: ${known}.`);
  }
  return definition;
}

export function isProviderName(name: string): name is ProviderName {
  return definitions.some((d) => d.name === name);
}
