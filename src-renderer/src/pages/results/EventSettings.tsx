import { useEffect, useState } from 'react';
import { Button, Group, NumberInput, SegmentedControl, Select, Text, TextInput } from '@mantine/core';
import { errorMessage } from '../../api/client.ts';
import { useClient, useQuery } from '../../api/hooks.ts';

/** "0,20,30,40" -> "0-19, 20-29, 30-39, 40+", the way crews read brackets. */
export function bracketsText(bounds: readonly number[]): string {
  return bounds.map((bound, i) => (i === bounds.length - 1 ? `${bound}+` : `${bound}-${bounds[i + 1] - 1}`)).join(', ');
}

function parseBrackets(text: string): number[] | null {
  const bounds = text.split(',').map((part) => Number(/^\s*(\d+)/.exec(part)?.[1] ?? Number.NaN));
  return bounds.length > 0 && bounds.every((b, i) => Number.isInteger(b) && (i === 0 || b > bounds[i - 1])) ? bounds : null;
}

type AgeBasis = 'race_day' | 'year_end' | 'provider_date';

/* Only RunSignUp events carry a date of their own to compute ages on (age_calc_base_date). */
const ageBasisOptions = (provider: string) => [
  { value: 'race_day', label: 'Age on race day' },
  { value: 'year_end', label: 'Age on 31 December' },
  ...(provider === 'runsignup' ? [{ value: 'provider_date', label: "RunSignUp's age date" }] : []),
];

/**
 * How the event is placed and awarded: chip or gun time, age-group brackets, the day ages are
 * taken on, and how many overall winners per gender leave the age groups. Changes re-place the event.
 */
export function EventSettings({ eventId, provider }: { eventId: string; provider: string }) {
  const client = useClient();
  const settings = useQuery('results.settings.get', { event: eventId, provider }, { refreshOn: ['results'] });
  const [brackets, setBrackets] = useState('');
  const [excluded, setExcluded] = useState<string | number>(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (settings.data) {
      setBrackets(bracketsText(settings.data.ageBrackets));
      setExcluded(settings.data.excludeOverallPlaces);
    }
  }, [settings.data]);

  async function save(change: { placeBy?: 'chip' | 'gun'; ageBrackets?: number[]; ageBasis?: AgeBasis; excludeOverallPlaces?: number }) {
    setError(null);
    try {
      await client.call('results.settings.set', { event: eventId, provider, ...change });
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  if (!settings.data) return null;
  const parsed = parseBrackets(brackets);
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="results-settings">
      <div>
        <Text size="sm" fw={500} mb={4}>
          Place by
        </Text>
        <SegmentedControl
          value={settings.data.placeBy}
          onChange={(value) => void save({ placeBy: value as 'chip' | 'gun' })}
          data={[
            { value: 'chip', label: 'Chip time' },
            { value: 'gun', label: 'Gun time' },
          ]}
          data-testid="results-place-by"
        />
      </div>
      <TextInput
        label="Age groups"
        value={brackets}
        onChange={(e) => setBrackets(e.currentTarget.value)}
        error={parsed ? error : 'Ascending brackets, e.g. 0-19, 20-29, 30+'}
        w={340}
        data-testid="results-brackets"
      />
      <Button variant="default" disabled={!parsed || bracketsText(parsed) === bracketsText(settings.data.ageBrackets)} onClick={() => parsed && void save({ ageBrackets: parsed })}>
        Apply
      </Button>
      <Select
        label="Ages for age groups"
        data={ageBasisOptions(provider)}
        value={settings.data.ageBasis}
        onChange={(value) => value && void save({ ageBasis: value as AgeBasis })}
        allowDeselect={false}
        w={210}
        data-testid="results-age-basis"
      />
      <NumberInput
        label="Overall winners excluded"
        title="The top N of each gender overall take no age-group place; 0 excludes nobody"
        value={excluded}
        onChange={setExcluded}
        onBlur={() => typeof excluded === 'number' && excluded !== settings.data?.excludeOverallPlaces && void save({ excludeOverallPlaces: excluded })}
        min={0}
        max={100}
        allowDecimal={false}
        allowNegative={false}
        w={220}
        data-testid="results-exclude-overall"
      />
    </Group>
  );
}
