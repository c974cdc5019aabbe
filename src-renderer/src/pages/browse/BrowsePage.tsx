import { useMemo, useState } from 'react';
import { Button, Checkbox, Group, NumberInput, Popover, SegmentedControl, Select, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { Input, Output } from '../../api/client.ts';
import { errorMessage } from '../../api/client.ts';
import { useClient, useQuery } from '../../api/hooks.ts';
import { Empty, ErrorNote } from '../../components/states.tsx';
import { IconCheck, IconDownload, IconPrinter, IconSearch } from '../../components/icons.tsx';
import { PrintView } from '../../components/PrintView.tsx';
import { browseTabs, type BrowseTab } from '../../app/routes.ts';
import { fullName, providerLabel, providerLabels, shortTime, splitEventName } from '../pickup/format.ts';
import { VirtualTable, type Column, type SortState } from './VirtualTable.tsx';
import { usePagedRows, type BrowseHandler } from './usePagedRows.ts';
import { emptyFilterBar, eventFilter, participantFilter, resultFilter, type FilterBar } from './filters.ts';
import { downloadText } from './csv-download.ts';

type ParticipantRow = Output<'browse.participants'>['rows'][number];
type EventRow = Output<'browse.events'>['rows'][number];
type ResultRow = Output<'browse.results'>['rows'][number];

const providerOptions = Object.entries(providerLabels)
  .filter(([value]) => value !== 'local')
  .map(([value, label]) => ({ value, label }));

const genderText: Record<string, string> = { M: 'M', F: 'F', X: 'X' };

const participantColumns: Column<ParticipantRow>[] = [
  { key: 'bib', label: 'Bib', width: 76, sort: 'bib_number', align: 'right', render: (r) => <span className="rd-vtable-mono rd-vtable-strong">{r.bib_number ?? '—'}</span> },
  { key: 'last', label: 'Last name', width: 140, sort: 'last_name', render: (r) => r.last_name ?? '' },
  { key: 'first', label: 'First name', width: 120, sort: 'first_name', render: (r) => r.first_name ?? '' },
  { key: 'event', label: 'Event', width: 170, sort: 'event_name', render: (r) => r.event_name ?? r.event_id },
  { key: 'provider', label: 'Provider', width: 100, sort: 'source_provider', render: (r) => providerLabel(r.source_provider) },
  { key: 'gender', label: 'G', width: 44, sort: 'gender', align: 'center', render: (r) => (r.gender ? genderText[r.gender] ?? r.gender : '') },
  { key: 'age', label: 'Age', width: 56, sort: 'age', align: 'right', render: (r) => r.age ?? '' },
  { key: 'city', label: 'City', width: 120, sort: 'city', render: (r) => r.city ?? '' },
  { key: 'team', label: 'Team', width: 120, sort: 'team_name', render: (r) => r.team_name ?? '' },
  {
    key: 'checkedIn',
    label: 'Checked in',
    width: 170,
    sort: 'checked_in_at',
    render: (r) => (
      <span className="rd-vtable-tags">
        {r.checked_in ? (
          <span className="rd-vtable-badge" data-tone="checked-in">
            <IconCheck size={10} />
            {shortTime(r.checked_in_at)}
          </span>
        ) : (
          <span className="rd-vtable-dimmed">—</span>
        )}
        {r.is_walk_up ? (
          <span className="rd-vtable-badge" data-tone="walk-up">
            Walk-up
          </span>
        ) : null}
      </span>
    ),
  },
];

const eventColumns: Column<EventRow>[] = [
  { key: 'name', label: 'Event', width: 190, sort: 'event_name', render: (r) => splitEventName(r.event_name ?? r.event_id).event },
  { key: 'race', label: 'Race / group', width: 190, sort: 'race_name', render: (r) => r.race_name ?? splitEventName(r.event_name ?? '').parent ?? '' },
  { key: 'provider', label: 'Provider', width: 100, sort: 'source_provider', render: (r) => providerLabel(r.source_provider) },
  { key: 'date', label: 'Date', width: 100, sort: 'event_date', render: (r) => r.event_date?.slice(0, 10) ?? '' },
  { key: 'registered', label: 'Registered', width: 100, sort: 'registered', align: 'right', render: (r) => r.registered.toLocaleString() },
  { key: 'checkedIn', label: 'Checked in', width: 100, sort: 'checked_in', align: 'right', render: (r) => r.checked_in.toLocaleString() },
  { key: 'walkUps', label: 'Walk-ups', width: 86, sort: 'walk_ups', align: 'right', render: (r) => r.walk_ups.toLocaleString() },
  { key: 'account', label: 'Account', width: 130, render: (r) => r.credentials_used ?? '' },
  { key: 'fetched', label: 'Synced', width: 100, sort: 'fetched_date', render: (r) => shortTime(r.fetched_date) },
];

const resultColumns: Column<ResultRow>[] = [
  { key: 'place', label: 'Place', width: 70, sort: 'overall_place', align: 'right', render: (r) => r.overall_place ?? '' },
  { key: 'bib', label: 'Bib', width: 80, sort: 'bib_number', align: 'right', render: (r) => <span className="rd-vtable-mono rd-vtable-strong">{r.bib_number ?? '—'}</span> },
  { key: 'name', label: 'Name', width: 220, sort: 'last_name', render: (r) => fullName(r.first_name, r.last_name) },
  { key: 'event', label: 'Event', width: 200, sort: 'event_name', render: (r) => r.event_name ?? r.event_id },
  { key: 'provider', label: 'Provider', width: 110, sort: 'source_provider', render: (r) => providerLabel(r.source_provider) },
  { key: 'gender', label: 'G', width: 50, sort: 'gender', align: 'center', render: (r) => r.gender ?? '' },
  { key: 'age', label: 'Age', width: 60, sort: 'age', align: 'right', render: (r) => r.age ?? '' },
  { key: 'chip', label: 'Chip time', width: 110, sort: 'results_time', align: 'right', render: (r) => <span className="rd-vtable-mono">{r.results_time ?? ''}</span> },
  { key: 'gun', label: 'Gun time', width: 110, sort: 'results_gun_time', align: 'right', render: (r) => <span className="rd-vtable-mono">{r.results_gun_time ?? ''}</span> },
  { key: 'status', label: 'Status', width: 80, sort: 'status', render: (r) => r.status ?? '' },
];

const tabLabels: Record<BrowseTab, string> = { participants: 'Participants', events: 'Events', results: 'Provider results' };

/** Every provider's participants, events and results in one place, sortable, filterable, exportable. */
export function BrowsePage({ tab, onTab }: { tab: string | null; onTab(tab: BrowseTab): void }) {
  const current: BrowseTab = (browseTabs as readonly string[]).includes(tab ?? '') ? (tab as BrowseTab) : 'participants';
  return (
    <Tabs value={current} onChange={(value) => value && onTab(value as BrowseTab)} keepMounted={false}>
      <Tabs.List mb="sm">
        {browseTabs.map((t) => (
          <Tabs.Tab key={t} value={t} data-testid={`browse-tab-${t}`}>
            {tabLabels[t]}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Tabs.Panel value="participants">
        <BrowseTable<ParticipantRow>
          table="participants"
          handler="browse.participants"
          columns={participantColumns}
          toFilter={participantFilter}
          controls={['provider', 'event', 'gender', 'checkedIn', 'walkUp']}
          defaultSort={{ column: 'last_name', direction: 'asc' }}
          noun="participants"
        />
      </Tabs.Panel>
      <Tabs.Panel value="events">
        <BrowseTable<EventRow>
          table="events"
          handler="browse.events"
          columns={eventColumns}
          toFilter={eventFilter}
          controls={['provider']}
          defaultSort={{ column: 'event_date', direction: 'asc' }}
          noun="events"
        />
      </Tabs.Panel>
      <Tabs.Panel value="results">
        <BrowseTable<ResultRow>
          table="results"
          handler="browse.results"
          columns={resultColumns}
          toFilter={resultFilter}
          controls={['provider', 'event', 'gender', 'status']}
          defaultSort={{ column: 'overall_place', direction: 'asc' }}
          noun="results"
        />
      </Tabs.Panel>
    </Tabs>
  );
}

type Control = 'provider' | 'event' | 'gender' | 'checkedIn' | 'walkUp' | 'status';

function BrowseTable<Row>(props: {
  table: 'participants' | 'events' | 'results';
  handler: BrowseHandler;
  columns: Column<Row>[];
  toFilter(bar: FilterBar): object;
  controls: Control[];
  defaultSort: SortState;
  noun: string;
}) {
  const client = useClient();
  const [bar, setBar] = useState<FilterBar>(emptyFilterBar);
  const [sort, setSort] = useState<SortState | null>(props.defaultSort);
  const [debouncedSearch] = useDebouncedValue(bar.search, 150);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const filter = useMemo(() => props.toFilter({ ...bar, search: debouncedSearch }), [props, bar, debouncedSearch]);
  const params = useMemo(() => ({ filter, ...(sort ? { sort } : {}) }), [filter, sort]);
  const rows = usePagedRows<Row>(props.handler, params, ['participants', 'results', 'events']);
  const events = useQuery('browse.eventChoices', {}, { enabled: props.controls.includes('event') });

  const eventOptions = useMemo(
    () =>
      (events.data?.rows ?? [])
        .filter((e) => !bar.provider || e.source_provider === bar.provider)
        .map((e) => ({ value: `${e.source_provider}|${e.event_id}`, label: `${e.event_name ?? e.event_id} (${providerLabel(e.source_provider)})` })),
    [events.data, bar.provider],
  );
  const set = <K extends keyof FilterBar>(key: K, value: FilterBar[K]) => setBar((b) => ({ ...b, [key]: value, ...(key === 'provider' ? { event: null } : {}) }));
  const filtered = JSON.stringify(filter) !== '{}';

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      const input = { table: props.table, filter, ...(sort ? { sort } : {}) };
      const file = await client.call('browse.exportCsv', input as never);
      downloadText(file.filename, file.csv);
    } catch (failure) {
      setExportError(errorMessage(failure));
    } finally {
      setExporting(false);
    }
  }

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          placeholder={props.table === 'events' ? 'Search event name' : 'Search name, bib or email'}
          aria-label={`Search ${props.noun}`}
          leftSection={<IconSearch size={16} />}
          value={bar.search}
          onChange={(e) => set('search', e.currentTarget.value)}
          w={260}
          data-search-box
          data-testid={`browse-search-${props.table}`}
        />
        {props.controls.includes('provider') ? (
          <Select placeholder="All providers" aria-label="Provider" data={providerOptions} value={bar.provider} onChange={(v) => set('provider', v)} clearable w={160} />
        ) : null}
        {props.controls.includes('event') ? (
          <Select placeholder="All events" aria-label="Event" data={eventOptions} value={bar.event} onChange={(v) => set('event', v)} clearable searchable w={240} />
        ) : null}
        {props.controls.includes('gender') ? (
          <SegmentedControl
            aria-label="Gender"
            data-testid="filter-gender"
            value={bar.gender}
            onChange={(v) => set('gender', v as FilterBar['gender'])}
            data={[
              { value: 'all', label: 'All' },
              { value: 'F', label: 'F' },
              { value: 'M', label: 'M' },
              { value: 'X', label: 'X' },
            ]}
          />
        ) : null}
        {props.controls.includes('checkedIn') ? (
          <SegmentedControl
            aria-label="Checked in"
            value={bar.checkedIn}
            onChange={(v) => set('checkedIn', v as FilterBar['checkedIn'])}
            data={[
              { value: 'all', label: 'Everyone' },
              { value: 'yes', label: 'Checked in' },
              { value: 'no', label: 'Not yet' },
            ]}
            data-testid="filter-checked-in"
          />
        ) : null}
        {props.controls.includes('walkUp') ? <Checkbox label="Walk-ups only" checked={bar.walkUp} onChange={(e) => set('walkUp', e.currentTarget.checked)} mb={8} /> : null}
        {props.controls.includes('status') ? (
          <Select placeholder="Any status" aria-label="Status" data={['FIN', 'DNF', 'DNS', 'DQ']} value={bar.status} onChange={(v) => set('status', v)} clearable w={130} />
        ) : null}
        <Group gap="sm" ml="auto" align="center">
          <Text size="sm" c="dimmed" data-testid={`browse-total-${props.table}`}>
            {rows.total === null ? 'Loading…' : `${rows.total.toLocaleString()} ${props.noun}`}
          </Text>
          {props.table === 'participants' ? <PickupListButton event={bar.event} /> : null}
          <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => void exportCsv()} loading={exporting} disabled={!rows.total} data-testid={`export-${props.table}`}>
            Export CSV
          </Button>
        </Group>
      </Group>
      {exportError ? <Text c="red" size="sm">{exportError}</Text> : null}
      {rows.error ? (
        <ErrorNote error={rows.error} what={props.noun[0].toUpperCase() + props.noun.slice(1)} onRetry={rows.reload} />
      ) : rows.total === 0 ? (
        <Empty
          title={filtered ? `No ${props.noun} match these filters` : `No ${props.noun} yet`}
          description={
            filtered
              ? 'Clear a filter or shorten the search.'
              : props.table === 'results'
                ? 'ChronoTrack and Copernico publish results; they appear here after a sync of such an account.'
                : 'Sync a provider account to fill this table.'
          }
          action={
            filtered ? (
              <Button variant="light" onClick={() => setBar(emptyFilterBar)}>
                Clear filters
              </Button>
            ) : (
              <Button variant="light" component="a" href="#/sync">
                Go to Sync
              </Button>
            )
          }
        />
      ) : (
        <VirtualTable<Row>
          columns={props.columns}
          total={rows.total ?? 0}
          rows={rows.source}
          sort={sort}
          onSort={setSort}
          height="calc(100vh - 190px)"
          testId={`table-${props.table}`}
        />
      )}
    </Stack>
  );
}

/** The packet-pickup list of the chosen event, for the table handing out one bib range. */
function PickupListButton({ event }: { event: string | null }) {
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState<number | string>('');
  const [to, setTo] = useState<number | string>('');
  const [printing, setPrinting] = useState<Input<'results.printable'> | null>(null);
  const bib = (value: number | string) => (typeof value === 'number' ? value : undefined);
  const backwards = bib(from) !== undefined && bib(to) !== undefined && (bib(from) as number) > (bib(to) as number);

  function openList() {
    if (!event) return;
    const [provider, eventId] = event.split('|', 2);
    setPrinting({ event: eventId, provider, document: 'pickup', bibFrom: bib(from), bibTo: bib(to) });
    setOpen(false);
  }

  return (
    <>
      <Popover opened={open} onChange={setOpen} position="bottom-end" withArrow trapFocus>
        <Popover.Target>
          <Button
            variant="default"
            leftSection={<IconPrinter size={16} />}
            onClick={() => setOpen((o) => !o)}
            disabled={!event}
            title={event ? 'Print the pickup list of a bib range' : 'Choose an event first'}
            data-testid="browse-pickup-list"
          >
            Pickup list
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap="xs">
            <Text size="sm">Bibs of one pickup table (leave empty for all)</Text>
            <Group gap="xs" wrap="nowrap">
              <NumberInput label="From bib" value={from} onChange={setFrom} min={0} allowDecimal={false} w={110} data-testid="pickup-list-from" />
              <NumberInput label="To bib" value={to} onChange={setTo} min={0} allowDecimal={false} w={110} data-testid="pickup-list-to" />
            </Group>
            {backwards ? (
              <Text size="xs" c="red">
                Give the lower bib first.
              </Text>
            ) : null}
            <Button onClick={openList} disabled={backwards} data-testid="pickup-list-open">
              Open the list
            </Button>
          </Stack>
        </Popover.Dropdown>
      </Popover>
      {printing ? <PrintView input={printing} onClose={() => setPrinting(null)} /> : null}
    </>
  );
}
