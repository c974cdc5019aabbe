import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Badge, Box, Button, CloseButton, Group, Kbd, Modal, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { errorMessage, type Output } from '../../api/client.ts';
import { useClient, useCoreEvent, useQuery } from '../../api/hooks.ts';
import { Empty, ErrorNote, Loading } from '../../components/states.tsx';
import { IconCheck, IconSearch, IconUserPlus } from '../../components/icons.tsx';
import { CountersStrip } from './Counters.tsx';
import { ParticipantCard } from './ParticipantCard.tsx';
import { ChangeBibDialog } from './ChangeBibDialog.tsx';
import { pickupKeyAction, type PickupAction, type PickupKeyContext } from './keyboard.ts';
import { isTypingTarget } from '../../app/shortcuts.ts';
import { eventKey, fullName, providerLabel, runnerRef, shortTime, truthy, type ProviderName } from './format.ts';
import { usePickupScope } from './scope.ts';
import { ScopePicker } from './ScopePicker.tsx';
import { DeviceStatus } from './DeviceStatus.tsx';
import { useDevice, useDeviceState } from '../../offline/device-transport.ts';

type Ref = { provider: ProviderName; participantId: string };
type SearchRow = Output<'lookup.search'>['rows'][number];
type RemovedRow = Output<'lookup.removed'>[number];

/** A check-in to undo: the runner and the check-in change the screen showed (the core refuses any other). */
interface UndoTarget {
  ref: Ref;
  name: string;
  checkInChangeId: string;
}

interface Notice {
  color: 'teal' | 'yellow' | 'red' | 'blue';
  text: string;
  undo?: boolean;
  /** Says a change waits on this device: outdated once the station answers again. */
  queued?: boolean;
}

const sameRunner = (a: Ref | null, b: { provider: string; participantId: string } | null) =>
  a !== null && b !== null && a.provider === b.provider && a.participantId === b.participantId;

export function PickupPage({ onWalkUp }: { onWalkUp(): void }) {
  const client = useClient();
  const device = useDevice();
  const link = useDeviceState()?.link ?? 'online';
  const searchRef = useRef<HTMLInputElement>(null);
  const cardRef = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState('');
  const [activeIndex, setActiveIndex] = useState(0);
  const [picked, setPicked] = useState<{ ref: Ref; query: string } | null>(null);
  const [lastCheckIn, setLastCheckIn] = useState<UndoTarget | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  // 'checkIn': the runner has no bib yet, so the check-in waits for one.
  const [bibDialog, setBibDialog] = useState<false | 'change' | 'checkIn'>(false);
  const [askUndo, setAskUndo] = useState<{ target: UndoTarget; by: string; at: string } | null>(null);

  const trimmed = query.trim();
  const scopeState = usePickupScope();
  const scope = scopeState.scope ?? [];
  const scopeReady = scopeState.scope !== undefined;
  const search = useQuery('lookup.search', { query: trimmed, limit: 30, scope }, { enabled: trimmed.length > 0 && scopeReady, refreshOn: ['participants'] });
  const results: SearchRow[] = trimmed ? (search.data?.rows ?? []) : [];
  // A registration the provider removed or transferred is not at pickup, but the person who held it
  // may still come to the table: say where it went. Unanswered (a device off the station, an older
  // station) it shows nothing; the search itself reports the link.
  const removed = useQuery('lookup.removed', { query: trimmed, scope }, { enabled: trimmed.length > 0 && scopeReady, refreshOn: ['participants'] });
  const removedRows: RemovedRow[] = trimmed ? (removed.data ?? []) : [];
  const counters = useQuery('pickup.counters', { scope }, { enabled: scopeReady, refreshOn: ['participants'] });
  // A bib several listed runners hold: the volunteer must move to one before Enter picks it.
  const [chosen, setChosen] = useState(false);
  const sameBib = results.filter((row) => row.bib_number === trimmed).length;
  const detail = useQuery('pickup.participant', picked?.ref ?? { provider: 'runsignup', participantId: '-' }, { enabled: picked !== null });

  const eventNames = useMemo(() => {
    const names = new Map<string, string>();
    for (const event of counters.data?.events ?? []) names.set(eventKey(event.provider, event.eventId), event.eventName ?? event.eventId);
    return names;
  }, [counters.data]);

  // The device's copy is of the table's events.
  const scopeKey = JSON.stringify(scope);
  useEffect(() => {
    if (scopeReady) void device?.follow(JSON.parse(scopeKey) as typeof scope);
  }, [device, scopeReady, scopeKey]);
  // The station answers again: what was shown from the copy (or not at all) is read from it.
  const reloadAll = useRef(() => {});
  reloadAll.current = () => {
    counters.reload();
    if (trimmed) {
      search.reload();
      removed.reload();
    }
    if (picked) detail.reload();
  };
  useEffect(() => {
    if (link !== 'online') return;
    reloadAll.current();
    setNotice((shown) => (shown?.queued ? null : shown));
  }, [link]);

  // Another station checked someone in: counters move, and the open card re-reads if it is theirs.
  useCoreEvent('pickup.changed', (change) => {
    counters.reload();
    if (trimmed) search.reload();
    if (sameRunner(picked?.ref ?? null, change)) detail.reload();
  });

  useEffect(() => {
    setActiveIndex(0);
    setChosen(false);
  }, [trimmed]);
  // After a bib change (or another station's change) the list re-reads and may reorder: the
  // highlight stays on the open card's runner, or on no row when they no longer match.
  const pickedRef = picked?.ref ?? null;
  const pickedQuery = picked?.query ?? null;
  useEffect(() => {
    if (!pickedRef || pickedQuery !== trimmed || !search.data) return;
    setActiveIndex(search.data.rows.findIndex((row) => sameRunner(pickedRef, runnerRef(row))));
    // Only a new answer of the search moves it, not the volunteer's arrow keys.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search.data]);
  useEffect(() => searchRef.current?.focus(), []);
  useEffect(() => {
    document.querySelector(`[data-result-index="${activeIndex}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex]);

  const focusSearch = useCallback((replaceWith?: string) => {
    if (replaceWith !== undefined) setQuery(replaceWith);
    requestAnimationFrame(() => {
      const input = searchRef.current;
      if (!input) return;
      input.focus();
      if (replaceWith === undefined) input.select();
    });
  }, []);

  // A freshly picked runner's card takes the focus as soon as it is on screen, so B, Enter and Ctrl+Z work at once.
  const focusCardWhenLoaded = useRef(false);
  const pick = useCallback((row: SearchRow) => {
    setPicked({ ref: runnerRef(row), query: trimmed });
    setNotice(null);
    focusCardWhenLoaded.current = true;
  }, [trimmed]);
  useEffect(() => {
    if (focusCardWhenLoaded.current && detail.data && picked && sameRunner(picked.ref, runnerRef(detail.data.participant))) {
      focusCardWhenLoaded.current = false;
      cardRef.current?.focus({ preventScroll: true });
    }
  }, [detail.data, picked]);

  /** `givenBib`: the bib the volunteer just gave a runner who had none (the card has not re-read yet). */
  const checkIn = useCallback(async (givenBib?: string) => {
    const data = detail.data;
    if (!picked || !data || busy) return;
    if (!sameRunner(picked.ref, runnerRef(data.participant))) return;
    const bib = givenBib ?? data.participant.bib_number;
    if (!bib && !data.participant.checked_in) {
      setBibDialog('checkIn');
      return;
    }
    setBusy(true);
    try {
      const name = fullName(data.participant.first_name, data.participant.last_name);
      const outcome = device ? await device.checkIn(picked.ref, name) : { queued: false as const, value: await client.call('pickup.checkIn', picked.ref) };
      if (outcome.queued) {
        setNotice({ color: 'blue', queued: true, text: `${name} is checked in on this device with bib ${bib ?? '—'}. The station is unreachable: the check-in is queued and sent when it is back.` });
        detail.reload();
        counters.reload();
        focusSearch();
        return;
      }
      const result = outcome.value;
      if (result.alreadyCheckedIn) {
        setNotice({ color: 'yellow', text: `${name} was already checked in at ${shortTime(result.at)} by ${result.by}. Nothing changed.` });
      } else {
        setLastCheckIn({ ref: picked.ref, name, checkInChangeId: result.changeId! });
        setNotice({ color: 'teal', text: `${name} is checked in with bib ${bib ?? '—'}.`, undo: true });
      }
      detail.reload();
      counters.reload();
      focusSearch();
    } catch (failure) {
      setNotice({ color: 'red', text: errorMessage(failure) });
    } finally {
      setBusy(false);
    }
  }, [client, device, picked, detail, busy, counters, focusSearch]);

  /** The open card's check-in: what its Undo button and Ctrl+Z act on, and nothing else. */
  const cardUndoTarget: UndoTarget | null = useMemo(() => {
    const data = detail.data;
    if (!picked || !data || !sameRunner(picked.ref, runnerRef(data.participant))) return null;
    const name = fullName(data.participant.first_name, data.participant.last_name);
    if (data.checkIn) return { ref: picked.ref, name, checkInChangeId: data.checkIn.changeId };
    // Just checked in here, before the card re-read.
    return lastCheckIn && sameRunner(lastCheckIn.ref, picked.ref) ? lastCheckIn : null;
  }, [picked, detail.data, lastCheckIn]);

  const undo = useCallback(async (target: UndoTarget | null, confirmOtherStation = false) => {
    if (!target && link === 'unreachable') {
      setNotice({ color: 'yellow', text: 'Undoing a check-in needs the station, which is unreachable — retrying…' });
      return;
    }
    if (!target || busy) return;
    setBusy(true);
    try {
      const result = await client.call('pickup.undoCheckIn', { ...target.ref, checkInChangeId: target.checkInChangeId, confirmOtherStation });
      if (!result.undone) {
        setAskUndo({ target, by: result.checkIn.stationName, at: result.checkIn.at });
        return;
      }
      setNotice({ color: 'blue', text: `Check-in of ${target.name} undone.` });
      if (lastCheckIn && sameRunner(lastCheckIn.ref, target.ref)) setLastCheckIn(null);
      if (sameRunner(picked?.ref ?? null, target.ref)) detail.reload();
      counters.reload();
    } catch (failure) {
      setNotice({ color: 'red', text: errorMessage(failure) });
      if (sameRunner(picked?.ref ?? null, target.ref)) detail.reload();
    } finally {
      setBusy(false);
    }
  }, [client, lastCheckIn, detail, busy, picked, counters, link]);

  function run(action: PickupAction) {
    switch (action.type) {
      case 'move':
        setActiveIndex(action.index);
        setChosen(true);
        return;
      case 'mustChoose':
        setNotice({ color: 'yellow', text: `Bib ${trimmed} is held by ${sameBib} runners here. Pick one with ↓ ↑ and Enter, or click it.` });
        return;
      case 'pick':
        if (results[action.index]) pick(results[action.index]);
        return;
      case 'checkIn':
        void checkIn();
        return;
      case 'undo':
        void undo(cardUndoTarget);
        return;
      case 'changeBib':
        if (detail.data) setBibDialog('change');
        return;
      case 'walkUp':
        onWalkUp();
        return;
      case 'clear':
        setQuery('');
        setPicked(null);
        setNotice(null);
        return;
      case 'focusSearch':
        focusSearch();
        return;
      case 'startSearch':
        focusSearch(action.text);
        return;
    }
  }

  function onKeyDown(focus: PickupKeyContext['focus']) {
    return (event: KeyboardEvent<HTMLElement>) => {
      if (bibDialog || askUndo) return;
      const action = pickupKeyAction(event, {
        focus,
        resultCount: results.length,
        activeIndex,
        hasPicked: detail.data !== undefined && picked !== null,
        pickedFromCurrentQuery: picked !== null && picked.query === trimmed && detail.data !== undefined,
        canUndo: cardUndoTarget !== null && picked !== null && picked.query === trimmed,
        mustChoose: sameBib > 1 && !chosen,
      });
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      run(action);
    };
  }

  const keyContextRef = useRef<(focus: PickupKeyContext['focus']) => (event: KeyboardEvent<HTMLElement>) => void>(onKeyDown);
  keyContextRef.current = onKeyDown;
  useEffect(() => {
    const onWindowKey = (event: globalThis.KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target) || document.querySelector('[role="dialog"]')) return;
      if (cardRef.current?.contains(event.target as Node)) return;
      keyContextRef.current('elsewhere')(event as unknown as KeyboardEvent<HTMLElement>);
    };
    window.addEventListener('keydown', onWindowKey);
    return () => window.removeEventListener('keydown', onWindowKey);
  }, []);

  const noData = counters.data !== undefined && counters.data.total.registered === 0;

  return (
    <Stack gap="md">
      <DeviceStatus />
      <ScopePicker state={scopeState} />
      {counters.data ? <CountersStrip counters={counters.data} /> : counters.error ? <ErrorNote error={counters.error} what="Counters" /> : null}
      {/* app.css .rd-pickup-layout: search | card beside results on a laptop; search, card, results stacked on a phone. */}
      <div className="rd-pickup-layout">
        <Stack gap="sm" className="rd-pickup-search">
            <TextInput
              ref={searchRef}
              size="xl"
              radius="lg"
              placeholder="Name or bib number"
              aria-label="Search runners by name or bib"
              leftSection={<IconSearch size={24} />}
              rightSection={query ? <CloseButton aria-label="Clear search" onClick={() => run({ type: 'clear' })} /> : <Kbd>/</Kbd>}
              value={query}
              onChange={(event) => setQuery(event.currentTarget.value)}
              onKeyDown={onKeyDown('search')}
              data-search-box
              data-testid="pickup-search"
              autoComplete="off"
              spellCheck={false}
            />
            {notice ? (
              <Alert
                color={notice.color}
                variant="light"
                withCloseButton
                onClose={() => setNotice(null)}
                icon={notice.color === 'teal' ? <IconCheck /> : undefined}
                data-testid="pickup-notice"
              >
                <Group justify="space-between" gap="xs">
                  <Text size="md">{notice.text}</Text>
                  {notice.undo && lastCheckIn ? (
                    <Button size="xs" variant="white" color="teal" onClick={() => void undo(lastCheckIn)} data-testid="notice-undo">
                      Undo (Ctrl+Z)
                    </Button>
                  ) : null}
                </Group>
              </Alert>
            ) : null}
        </Stack>
        <Stack gap="sm" className="rd-pickup-results">
            <ResultList
              query={trimmed}
              rows={results}
              removed={removedRows}
              total={trimmed ? search.data : undefined}
              loading={search.loading && results.length === 0}
              activeIndex={activeIndex}
              pickedRef={picked?.ref ?? null}
              eventNames={eventNames}
              onPick={pick}
              onWalkUp={onWalkUp}
              noData={noData}
              failed={search.error !== null}
            />
            {search.error?.code === 'network_error' ? (
              <Alert color="yellow" variant="light" title="Station unreachable — retrying…" data-testid="search-unreachable">
                {search.error.message}
              </Alert>
            ) : search.error ? (
              <ErrorNote error={search.error} what="Search" onRetry={search.reload} />
            ) : null}
        </Stack>
        <div className="rd-pickup-card">
          {picked === null ? (
            // On a phone the hint gives way to the matches once a search is typed (they come right below).
            <Paper withBorder radius="lg" p="xl" visibleFrom={trimmed ? 'md' : undefined}>
              <Empty
                title="Find a runner"
                description={
                  <>
                    Type part of a name (accents not needed) or a bib number, then <Kbd>↓</Kbd> <Kbd>↑</Kbd> and <Kbd>Enter</Kbd> to pick.
                    <br />
                    <Kbd>Enter</Kbd> again checks them in; <Kbd>Ctrl</Kbd>+<Kbd>Z</Kbd> undoes it.
                  </>
                }
                icon={<IconSearch size={28} />}
              />
            </Paper>
          ) : detail.error ? (
            <ErrorNote error={detail.error} what="Runner" onRetry={detail.reload} />
          ) : detail.data ? (
            <ParticipantCard
              ref={cardRef}
              detail={detail.data}
              busy={busy}
              onCheckIn={() => void checkIn()}
              onUndo={() => void undo(cardUndoTarget)}
              onChangeBib={() => setBibDialog('change')}
              onKeyDown={onKeyDown('card')}
            />
          ) : (
            <Loading label="Opening runner" />
          )}
        </div>
      </div>
      {detail.data ? (
        <ChangeBibDialog
          participant={detail.data.participant}
          opened={bibDialog !== false}
          forCheckIn={bibDialog === 'checkIn'}
          onClose={() => {
            setBibDialog(false);
            requestAnimationFrame(() => cardRef.current?.focus({ preventScroll: true }));
          }}
          onChanged={(change, queued) => {
            const thenCheckIn = bibDialog === 'checkIn';
            setBibDialog(false);
            setNotice(
              queued
                ? { color: 'blue', queued: true, text: `Bib changed from ${change.oldBib ?? '—'} to ${change.newBib} on this device. The station is unreachable: the change is queued and sent when it is back.` }
                : { color: 'teal', text: `Bib changed from ${change.oldBib ?? '—'} to ${change.newBib}.` },
            );
            detail.reload();
            if (trimmed) search.reload();
            if (thenCheckIn) void checkIn(change.newBib);
            else requestAnimationFrame(() => cardRef.current?.focus({ preventScroll: true }));
          }}
        />
      ) : null}
      <Modal
        opened={askUndo !== null}
        onClose={() => setAskUndo(null)}
        title="Undo another station's check-in?"
        data-testid="undo-other-station"
      >
        {askUndo ? (
          <Stack>
            <Text data-testid="undo-other-station-text">
              {askUndo.target.name} was checked in by <b>{askUndo.by}</b> at {shortTime(askUndo.at)}. Undo that check-in?
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAskUndo(null)} data-autofocus>
                Keep it
              </Button>
              <Button
                color="red"
                onClick={() => {
                  const target = askUndo.target;
                  setAskUndo(null);
                  void undo(target, true);
                }}
                data-testid="undo-other-station-confirm"
              >
                Undo {askUndo.by}'s check-in
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </Stack>
  );
}

function ResultList(props: {
  query: string;
  rows: SearchRow[];
  removed: RemovedRow[];
  total: { total: number; totalExact: boolean } | undefined;
  loading: boolean;
  activeIndex: number;
  pickedRef: Ref | null;
  eventNames: Map<string, string>;
  onPick(row: SearchRow): void;
  onWalkUp(): void;
  noData: boolean;
  /** The search failed: the list says nothing (never "no runner matches" for a search that did not run). */
  failed: boolean;
}) {
  if (props.failed) return null;
  if (!props.query) {
    return props.noData ? (
      <Empty
        title="No participants on this station yet"
        description="Add a provider account in Settings and sync its events, or register walk-ups."
        action={
          <Button variant="light" component="a" href="#/sync">
            Go to Sync
          </Button>
        }
      />
    ) : null;
  }
  if (props.loading) return <Loading />;
  const removed = <RemovedNotes rows={props.removed} eventNames={props.eventNames} />;
  if (props.rows.length === 0) {
    return (
      <>
        {removed}
        <Empty
          title={`No runner matches “${props.query}”`}
          description="Try the last name only, or the bib number. Not registered? Sign them up as a walk-up."
          action={
            <Button leftSection={<IconUserPlus />} variant="light" onClick={props.onWalkUp}>
              New walk-up <Kbd ml="xs">N</Kbd>
            </Button>
          }
        />
      </>
    );
  }
  return (
    <Box mah="calc(100vh - 330px)" style={{ overflowY: 'auto' }}>
      <CutOff shown={props.rows.length} total={props.total} />
      <Stack gap={4} role="listbox" aria-label="Matching runners" data-testid="pickup-results">
        {props.rows.map((row, index) => {
          const active = index === props.activeIndex;
          const checkedIn = truthy(row.checked_in);
          const walkUp = truthy(row.is_walk_up);
          return (
            <UnstyledButton
              key={`${row.source_provider}:${row.participant_id}`}
              className="rd-result-row"
              data-active={active}
              data-result-index={index}
              role="option"
              aria-selected={active}
              tabIndex={-1}
              onClick={() => props.onPick(row)}
              px="sm"
              py={8}
            >
              <Group wrap="nowrap" gap="md">
                <Text ff="monospace" fw={800} fz={22} w={76} ta="right" style={{ flex: 'none' }}>
                  {row.bib_number ?? '—'}
                </Text>
                <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
                  <Text fz="lg" fw={600} truncate data-testid="result-name">
                    {fullName(row.first_name, row.last_name)}
                  </Text>
                  <Text size="sm" c="dimmed" truncate>
                    {props.eventNames.get(eventKey(row.source_provider, row.event_id)) ?? row.event_id} · {providerLabel(row.source_provider)}
                    {row.city ? ` · ${row.city}` : ''}
                  </Text>
                </Stack>
                <Group gap={4} wrap="nowrap">
                  {walkUp ? (
                    <Badge color="grape" variant="light">
                      Walk-up
                    </Badge>
                  ) : null}
                  {checkedIn ? (
                    <Badge color="teal" leftSection={<IconCheck size={12} />}>
                      In
                    </Badge>
                  ) : null}
                </Group>
              </Group>
            </UnstyledButton>
          );
        })}
      </Stack>
      {removed}
    </Box>
  );
}

/** "Jane Doe — transferred to registration 61238855 (Jane Roe, bib 1204)": registrations that left pickup. */
function RemovedNotes({ rows, eventNames }: { rows: RemovedRow[]; eventNames: Map<string, string> }) {
  if (rows.length === 0) return null;
  return (
    <Alert color="orange" variant="light" title="Registration removed by the provider" mt="xs" data-testid="pickup-removed">
      <Stack gap={6}>
        {rows.map((row) => (
          <Box key={`${row.source_provider}:${row.participant_id}`}>
            <Text size="md" data-testid="removed-note">
              <b>{fullName(row.first_name, row.last_name)}</b> — {row.note}
            </Text>
            <Text size="sm" c="dimmed">
              {eventNames.get(eventKey(row.source_provider, row.event_id)) ?? row.event_id} · {providerLabel(row.source_provider)} registration {row.participant_id}
              {row.bib_number ? ` · was bib ${row.bib_number}` : ''}
            </Text>
          </Box>
        ))}
      </Stack>
    </Alert>
  );
}

/** A cut list says so, or the volunteer takes the first 30 for everyone who matched. */
function CutOff({ shown, total }: { shown: number; total: { total: number; totalExact: boolean } | undefined }) {
  if (!total || (total.totalExact && total.total <= shown)) return null;
  return (
    <Text size="sm" c="dimmed" data-testid="pickup-cut-off">
      {shown} of {total.totalExact ? total.total.toLocaleString() : `more than ${total.total.toLocaleString()}`} — type more
    </Text>
  );
}
