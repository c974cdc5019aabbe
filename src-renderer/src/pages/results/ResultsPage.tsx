import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, FileButton, Group, Menu, Select, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { errorMessage, type Input } from '../../api/client.ts';
import { useClient, useQuery } from '../../api/hooks.ts';
import { Empty, ErrorNote, Loading } from '../../components/states.tsx';
import { IconCheck, IconDownload, IconPrinter, IconSearch } from '../../components/icons.tsx';
import { PrintView } from '../../components/PrintView.tsx';
import { providerLabel } from '../pickup/format.ts';
import { downloadText } from '../browse/csv-download.ts';
import { ResultsTable, type ResultsOrder } from './ResultsTable.tsx';
import { CompareTable } from './CompareTable.tsx';
import { ImportDialog, readTimingFile, type TimingFile } from './ImportDialog.tsx';
import { EventSettings } from './EventSettings.tsx';
import { HeldRows } from './HeldRows.tsx';
import { WatchFolder } from './WatchFolder.tsx';
import { PublishButton } from './PublishButton.tsx';

type Tab = ResultsOrder | 'compare';
const tabs: Array<{ value: Tab; label: string }> = [
  { value: 'overall', label: 'Overall' },
  { value: 'gender', label: 'By gender' },
  { value: 'age', label: 'By age group' },
  { value: 'compare', label: 'Provider vs crew' },
];

const eventValue = (provider: string, eventId: string) => `${provider}|${eventId}`;

/** Race-day results: import the timing software's files, check the places, export, compare. */
export function ResultsPage() {
  const client = useClient();
  const events = useQuery('results.events', {}, { refreshOn: ['results', 'events', 'participants'] });
  const [selected, setSelected] = useState<string | null>(null);
  /* ChronoTrack and Race Roster events hold several races (distances), each placed on its own; null shows them all, race by race. */
  const [race, setRace] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('overall');
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search, 150);
  const [file, setFile] = useState<TimingFile | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [printing, setPrinting] = useState<Input<'results.printable'> | null>(null);

  const options = useMemo(
    () =>
      (events.data ?? []).map((e) => ({
        value: eventValue(e.source_provider, e.event_id),
        label: `${e.race_name ? `${e.race_name} › ` : ''}${e.event_name ?? e.event_id} (${providerLabel(e.source_provider)}${e.crew_results ? `, ${e.crew_results} results` : ''})`,
      })),
    [events.data],
  );
  useEffect(() => {
    if (selected === null && options.length > 0) setSelected(options[0].value);
  }, [options, selected]);
  const [provider, eventId] = selected ? (selected.split('|', 2) as [string, string]) : ['', ''];
  const eventLabel = options.find((o) => o.value === selected)?.label ?? eventId;
  const enabled = selected !== null;
  const list = useQuery(
    'results.list',
    { event: eventId, provider, by: tab === 'compare' ? 'overall' : tab, search: debouncedSearch, ...(race ? { race } : {}) },
    { enabled: enabled && tab !== 'compare', refreshOn: ['results'] },
  );
  const races = useMemo(() => list.data?.races ?? [], [list.data]);
  const raceOptions = useMemo(
    () => [{ value: '', label: 'All races' }, ...races.map((r) => ({ value: r.race_id, label: `${r.race_name ?? r.race_id} (${r.results} results)` }))],
    [races],
  );
  const compare = useQuery('results.compare', { event: eventId, provider }, { enabled: enabled && tab === 'compare', refreshOn: ['results'] });

  async function exportCsv() {
    setFailure(null);
    try {
      const exported = await client.call('results.exportCsv', { event: eventId, provider, ...(race ? { race } : {}) });
      downloadText(exported.fileName, exported.csv);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  /** The timing system's start list: FinishLynx's lynx.ppl and lynx.evt, or one CSV. */
  async function exportStartList(format: 'lynx' | 'csv') {
    setFailure(null);
    try {
      const exported = await client.call('startlist.export', { event: eventId, provider, format });
      for (const file of exported.files) downloadText(file.name, file.content, format === 'csv' ? undefined : 'text/plain;charset=utf-8');
      setNotice(`Start list of ${exported.competitors} competitor${exported.competitors === 1 ? '' : 's'}: ${exported.files.map((file) => file.name).join(' and ')}.`);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  async function pick(chosen: File | null) {
    if (!chosen) return;
    setNotice(null);
    setFile(await readTimingFile(chosen));
  }

  if (events.error) return <ErrorNote error={events.error} onRetry={events.reload} what="Results" />;
  if (!events.data) return <Loading label="Loading events" />;
  if (events.data.length === 0) {
    return <Empty title="No events yet" description="Sync a provider account first: results are imported into one of its events." />;
  }

  return (
    <Stack gap="sm" data-testid="results-page">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label="Event"
          data={options}
          value={selected}
          onChange={(value) => {
            setSelected(value);
            setRace(null);
          }}
          searchable
          w={380}
          data-testid="results-event"
        />
        {races.length > 0 && tab !== 'compare' ? (
          <Select label="Race" data={raceOptions} value={race ?? ''} onChange={(value) => setRace(value || null)} allowDeselect={false} w={240} data-testid="results-race" />
        ) : null}
        <FileButton onChange={(f) => void pick(f)} accept=".lif,.csv,.txt,.tsv">
          {(buttonProps) => (
            <Button {...buttonProps} data-testid="results-import">
              Import timing file
            </Button>
          )}
        </FileButton>
        <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => void exportCsv()} data-testid="results-export">
          Export CSV
        </Button>
        <Menu position="bottom-start">
          <Menu.Target>
            <Button variant="default" leftSection={<IconDownload size={16} />} disabled={!selected} data-testid="results-startlist">
              Start list
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => void exportStartList('lynx')} data-testid="results-startlist-lynx">
              FinishLynx (lynx.ppl and lynx.evt)
            </Menu.Item>
            <Menu.Item onClick={() => void exportStartList('csv')} data-testid="results-startlist-csv">
              CSV
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
        <Menu position="bottom-start">
          <Menu.Target>
            <Button variant="default" leftSection={<IconPrinter size={16} />} disabled={!selected} data-testid="results-print">
              Print
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {(['results', 'awards'] as const).map((document) => (
              <Menu.Item key={document} onClick={() => setPrinting({ event: eventId, provider, document, ...(race ? { race } : {}) })} data-testid={`results-print-${document}`}>
                {document === 'results' ? 'Results sheet' : 'Award lists'}
                {race ? ` (${races.find((r) => r.race_id === race)?.race_name ?? race})` : ''}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
      {selected ? <EventSettings eventId={eventId} provider={provider} /> : null}
      {selected ? <WatchFolder eventId={eventId} provider={provider} /> : null}
      {/* Only RunSignUp takes results back through its API. */}
      {selected && provider === 'runsignup' ? <PublishButton key={selected} eventId={eventId} provider={provider} /> : null}
      {notice ? (
        <Alert color="teal" variant="light" icon={<IconCheck />} withCloseButton onClose={() => setNotice(null)} data-testid="results-notice">
          {notice}
        </Alert>
      ) : null}
      {failure ? (
        <Alert color="red" variant="light" withCloseButton onClose={() => setFailure(null)}>
          {failure}
        </Alert>
      ) : null}
      {selected ? <HeldRows eventId={eventId} provider={provider} /> : null}
      <Group justify="space-between" align="flex-end">
        <Tabs value={tab} onChange={(value) => value && setTab(value as Tab)}>
          <Tabs.List>
            {tabs.map((t) => (
              <Tabs.Tab key={t.value} value={t.value} data-testid={`results-tab-${t.value}`}>
                {t.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        {tab !== 'compare' ? (
          <TextInput
            placeholder="Bib or name"
            aria-label="Search results"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={240}
            data-testid="results-search"
          />
        ) : null}
      </Group>
      {tab === 'compare' ? (
        compare.error ? (
          <ErrorNote error={compare.error} onRetry={compare.reload} what="Comparison" />
        ) : compare.data && compare.data.length > 0 ? (
          <CompareTable rows={compare.data} />
        ) : compare.data ? (
          <Empty title="No results to compare" description="Provider results arrive with a sync; the crew's with an import." />
        ) : (
          <Loading />
        )
      ) : list.error ? (
        <ErrorNote error={list.error} onRetry={list.reload} what="Results" />
      ) : list.data && list.data.rows.length > 0 ? (
        <>
          <Text size="xs" c="dimmed">
            Placed by {list.data.placeBy} time{races.length > 0 ? ', each race on its own' : ''}. Click a runner for their splits.
          </Text>
          <ResultsTable rows={list.data.rows} by={tab} showRace={races.length > 0 && race === null} />
        </>
      ) : list.data ? (
        <Empty
          title={debouncedSearch ? 'No runner matches' : 'No results for this event yet'}
          description={debouncedSearch ? 'Search by bib number or part of a name.' : 'Import the file your timing software exported (FinishLynx .lif, CSV or tab-separated).'}
        />
      ) : (
        <Loading />
      )}
      {printing ? <PrintView input={printing} onClose={() => setPrinting(null)} /> : null}
      {file && selected ? (
        <ImportDialog file={file} provider={provider} eventId={eventId} eventLabel={eventLabel} onClose={() => setFile(null)} onImported={setNotice} />
      ) : null}
    </Stack>
  );
}

export default ResultsPage;
