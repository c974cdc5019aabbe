import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Checkbox, Grid, Group, Kbd, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Title, Input } from '@mantine/core';
import { ApiError, errorMessage, type Output } from '../../api/client.ts';
import { useClient, useQuery } from '../../api/hooks.ts';
import { Empty, ErrorNote } from '../../components/states.tsx';
import { IconAlert, IconCheck, IconUserPlus } from '../../components/icons.tsx';
import { fullName, providerLabel } from './format.ts';
import { usePickupScope } from './scope.ts';
import { emptyWalkUp, eventOption, fieldErrorsFromMessage, missingFields, parseEventOption, paymentMethodOptions, walkUpInput, type WalkUpFields } from './walk-up-form.ts';

type Registered = Output<'pickup.registerWalkUp'>;
const fieldNames = Object.keys(emptyWalkUp);

/** Day-of registration: the runner gets the next bib of the event's walk-up range and is checked in at once. */
export function WalkUpPage({ onDone }: { onDone(): void }) {
  const client = useClient();
  const events = useQuery('browse.eventChoices', {}, { refreshOn: ['participants'] });
  const [fields, setFields] = useState<WalkUpFields>(emptyWalkUp);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [bibTaken, setBibTaken] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<(Registered & { shirtSize: string | null }) | null>(null);
  const firstNameRef = useRef<HTMLInputElement>(null);

  const selected = parseEventOption(fields.event);
  const nextBib = useQuery('pickup.nextFreeBib', { provider: (selected?.provider ?? 'runsignup') as 'runsignup', eventId: selected?.eventId ?? '-' }, { enabled: selected !== null });

  const options = useMemo(
    () =>
      (events.data?.rows ?? []).map((event) => ({
        value: eventOption(event.source_provider, event.event_id),
        label: `${event.event_name ?? event.event_id} (${providerLabel(event.source_provider)})`,
      })),
    [events.data],
  );

  // The table's scope names the event walk-ups register for; a single event needs no choosing.
  const { scope } = usePickupScope();
  useEffect(() => {
    if (fields.event || options.length === 0) return;
    const scoped = (scope ?? []).map((e) => eventOption(e.provider, e.eventId)).find((value) => options.some((o) => o.value === value));
    const preselect = scoped ?? (options.length === 1 ? options[0].value : undefined);
    if (preselect) setFields((f) => ({ ...f, event: preselect }));
  }, [options, fields.event, scope]);

  const set = <K extends keyof WalkUpFields>(key: K, value: WalkUpFields[K]) => {
    setFields((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: '' }));
    if (key === 'bib' || key === 'event') setBibTaken(null);
  };

  async function submit(confirmTaken: boolean) {
    const missing = missingFields(fields);
    if (Object.keys(missing).length) {
      setErrors(missing as Record<string, string>);
      return;
    }
    setBusy(true);
    setGeneral(null);
    try {
      const input = walkUpInput(fields, confirmTaken);
      const result = await client.call('pickup.registerWalkUp', { ...input, provider: input.provider as 'runsignup' });
      setDone({ ...result, shirtSize: input.shirtSize ?? null });
      setFields((f) => ({ ...emptyWalkUp, event: f.event, checkIn: f.checkIn, paymentMethod: f.paymentMethod }));
      setBibTaken(null);
      nextBib.reload();
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'conflict') {
        setBibTaken(failure.message);
      } else if (failure instanceof ApiError && failure.code === 'invalid_input') {
        const spread = fieldErrorsFromMessage(failure.message, fieldNames);
        setErrors(spread.fields);
        setGeneral(spread.general);
      } else {
        setGeneral(errorMessage(failure));
      }
    } finally {
      setBusy(false);
    }
  }

  if (events.error) return <ErrorNote error={events.error} what="Events" onRetry={events.reload} />;
  if (events.data && options.length === 0) {
    return <Empty title="No events to register for" description="Sync a provider account first: walk-ups join one of its events." action={<Button component="a" href="#/sync" variant="light">Go to Sync</Button>} />;
  }

  const range = nextBib.data?.range ?? null;
  const bibHint = !selected
    ? 'Pick the event first.'
    : nextBib.error
      ? errorMessage(nextBib.error)
      : nextBib.data?.bib
        ? `Leave empty to give the next free walk-up bib: ${nextBib.data.bib}${range ? ` (range ${range.firstBib}–${range.lastBib}, ${range.free} free)` : ''}.`
        : range
          ? `The walk-up range ${range.firstBib}–${range.lastBib} is used up: type a bib.`
          : 'This event has no walk-up bib range: type a bib (set a range in Settings › Walk-up bibs).';

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Paper withBorder radius="lg" p="lg">
          <form
            onSubmit={(event) => {
              event.preventDefault();
              // Enter never registers with a taken bib: that takes the separate "anyway" button.
              if (bibTaken === null) void submit(false);
            }}
            onKeyDown={(event) => {
              // Esc inside an open event list closes the list; anywhere else it leaves the form.
              if (event.key === 'Escape' && !(event.target as HTMLElement).closest('[aria-expanded="true"]')) onDone();
            }}
            data-testid="walkup-form"
          >
            <Stack gap="md">
              <Group justify="space-between">
                <Title order={2}>New walk-up registration</Title>
                <Text c="dimmed" size="sm">
                  <Kbd>Enter</Kbd> registers · <Kbd>Esc</Kbd> back to pickup
                </Text>
              </Group>
              <Select
                label="Event"
                placeholder="Pick the event"
                data={options}
                value={fields.event || null}
                onChange={(value) => set('event', value ?? '')}
                searchable
                size="md"
                error={errors.event || undefined}
                data-testid="walkup-event"
                comboboxProps={{ withinPortal: true }}
              />
              <Group grow align="flex-start">
                <TextInput ref={firstNameRef} label="First name" size="md" value={fields.firstName} onChange={(e) => set('firstName', e.currentTarget.value)} error={errors.firstName || undefined} data-testid="walkup-first" autoFocus />
                <TextInput label="Last name" size="md" value={fields.lastName} onChange={(e) => set('lastName', e.currentTarget.value)} error={errors.lastName || undefined} data-testid="walkup-last" />
              </Group>
              {/* Side by side only where half the form holds all three choices: "Non-binary" was cut off on phones and tablets. */}
              <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
                <Input.Wrapper label="Gender" size="md" error={errors.gender || undefined}>
                  <SegmentedControl
                    fullWidth
                    size="md"
                    value={fields.gender}
                    onChange={(value) => set('gender', value as WalkUpFields['gender'])}
                    data={[
                      { value: 'F', label: 'Female' },
                      { value: 'M', label: 'Male' },
                      { value: 'X', label: 'Non-binary' },
                    ]}
                    data-testid="walkup-gender"
                  />
                </Input.Wrapper>
                <TextInput label="Date of birth" type="date" size="md" value={fields.dateOfBirth} onChange={(e) => set('dateOfBirth', e.currentTarget.value)} error={errors.dateOfBirth || undefined} data-testid="walkup-dob" />
              </SimpleGrid>
              <Group grow align="flex-start">
                <TextInput label="Email" type="email" size="md" value={fields.email} onChange={(e) => set('email', e.currentTarget.value)} error={errors.email || undefined} />
                <TextInput label="Phone" type="tel" size="md" value={fields.phone} onChange={(e) => set('phone', e.currentTarget.value)} error={errors.phone || undefined} />
              </Group>
              <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md">
                <TextInput label="City" size="md" value={fields.city} onChange={(e) => set('city', e.currentTarget.value)} />
                <TextInput label="State / region" size="md" value={fields.state} onChange={(e) => set('state', e.currentTarget.value)} />
                <TextInput label="Team" size="md" value={fields.teamName} onChange={(e) => set('teamName', e.currentTarget.value)} />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
                <TextInput label="Shirt size" size="md" placeholder="e.g. Women's M" value={fields.shirtSize} onChange={(e) => set('shirtSize', e.currentTarget.value)} data-testid="walkup-shirt" />
                <TextInput label="Emergency contact" size="md" placeholder="Name" value={fields.emergencyContactName} onChange={(e) => set('emergencyContactName', e.currentTarget.value)} data-testid="walkup-emergency-name" />
                <TextInput label="Emergency phone" type="tel" size="md" value={fields.emergencyContactPhone} onChange={(e) => set('emergencyContactPhone', e.currentTarget.value)} data-testid="walkup-emergency-phone" />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <TextInput
                  label="Amount paid"
                  size="md"
                  inputMode="decimal"
                  placeholder="0.00"
                  value={fields.amountPaid}
                  onChange={(e) => set('amountPaid', e.currentTarget.value)}
                  error={errors.amountPaid || undefined}
                  data-testid="walkup-amount"
                />
                <Select
                  label="Paid by"
                  size="md"
                  placeholder="How they paid"
                  data={paymentMethodOptions}
                  value={fields.paymentMethod || null}
                  onChange={(value) => set('paymentMethod', (value ?? '') as WalkUpFields['paymentMethod'])}
                  error={errors.paymentMethod || undefined}
                  data-testid="walkup-payment"
                  comboboxProps={{ withinPortal: true }}
                  clearable
                />
              </SimpleGrid>
              <Checkbox
                label="The runner read and accepted the waiver"
                size="md"
                checked={fields.waiverAccepted}
                onChange={(e) => set('waiverAccepted', e.currentTarget.checked)}
                error={errors.waiverAccepted || undefined}
                data-testid="walkup-waiver"
              />
              <TextInput
                label="Bib"
                size="lg"
                placeholder={nextBib.data?.bib ?? ''}
                description={bibHint}
                value={fields.bib}
                onChange={(e) => set('bib', e.currentTarget.value)}
                error={errors.bib || undefined}
                data-testid="walkup-bib"
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontWeight: 700 } }}
                w={{ base: '100%', sm: '60%' }}
              />
              {bibTaken ? (
                <Alert color="orange" icon={<IconAlert />} title="That bib is taken" data-testid="walkup-bib-taken">
                  {bibTaken} Type another bib, or use the orange button to hand it out twice.
                </Alert>
              ) : null}
              <Checkbox label="Check the runner in now (they are at the table)" checked={fields.checkIn} onChange={(e) => set('checkIn', e.currentTarget.checked)} />
              {general ? (
                <Alert color="red" icon={<IconAlert />} data-testid="walkup-error">
                  {general}
                </Alert>
              ) : null}
              <Group justify="flex-end">
                <Button variant="default" onClick={onDone}>
                  Back to pickup
                </Button>
                {bibTaken ? (
                  <Button type="button" size="md" loading={busy} color="orange" onClick={() => void submit(true)} data-testid="walkup-submit-anyway">
                    Register with this taken bib anyway
                  </Button>
                ) : (
                  <Button type="submit" size="md" loading={busy} leftSection={<IconUserPlus />} data-testid="walkup-submit">
                    Register walk-up
                  </Button>
                )}
              </Group>
            </Stack>
          </form>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        {done ? (
          <Alert color="teal" variant="light" icon={<IconCheck />} title="Registered" data-testid="walkup-done">
            <Stack gap="xs">
              <Text fz="xl" fw={700}>
                {fullName(done.participant.first_name, done.participant.last_name)}
              </Text>
              <Text>
                Bib{' '}
                <Text span ff="monospace" fw={900} fz={32}>
                  {done.participant.bib_number ?? '—'}
                </Text>
              </Text>
              {done.shirtSize ? (
                <Text data-testid="walkup-done-shirt">
                  Shirt size <b>{done.shirtSize}</b>
                </Text>
              ) : null}
              <Text size="sm">
                {done.participant.event_name ?? done.participant.event_id} · {done.participant.checked_in ? 'checked in' : 'not checked in yet'}
              </Text>
              <Text size="sm" c="dimmed">
                {done.counters.checkedIn} of {done.counters.registered} checked in for this event.
              </Text>
              <Group gap="xs">
                <Button size="xs" variant="light" onClick={() => { setDone(null); firstNameRef.current?.focus(); }}>
                  Register another
                </Button>
                <Button size="xs" variant="subtle" onClick={onDone}>
                  Back to pickup
                </Button>
              </Group>
            </Stack>
          </Alert>
        ) : (
          <Paper withBorder radius="lg" p="md">
            <Text fw={600} mb={4}>
              Walk-ups everywhere
            </Text>
            <Text size="sm" c="dimmed">
              A walk-up joins the event of its provider, is marked “Walk-up” in pickup, tables and exports, and is pushed to the hub
              with the other venue changes. The next search finds them.
            </Text>
          </Paper>
        )}
      </Grid.Col>
    </Grid>
  );
}
