import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { errorMessage, type Output } from '../../api/client.ts';
import { useClient } from '../../api/hooks.ts';
import { useDevice } from '../../offline/device-transport.ts';
import { IconAlert } from '../../components/icons.tsx';
import { fullName, runnerRef } from './format.ts';

type Participant = Output<'pickup.participant'>['participant'];
type BibChange = Output<'pickup.changeBib'>;

/**
 * Bib reassignment. A bib someone else in the event already holds is never taken silently: the
 * first call answers with who holds it, and only a click on "Give it out anyway" (a separate
 * button, never Enter: Enter, Enter must not hand out a taken bib) writes the change.
 * `forCheckIn`: the runner has no bib yet and is checked in once one is given.
 */
export function ChangeBibDialog({
  participant,
  opened,
  forCheckIn = false,
  onClose,
  onChanged,
}: {
  participant: Participant;
  opened: boolean;
  forCheckIn?: boolean;
  onClose(): void;
  /** `queued`: the station was unreachable, so the change waits on this device. */
  onChanged(change: BibChange, queued: boolean): void;
}) {
  const client = useClient();
  const device = useDevice();
  const [bib, setBib] = useState('');
  const [taken, setTaken] = useState<BibChange['takenBy'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (opened) {
      setBib('');
      setTaken(null);
      setError(null);
    }
  }, [opened]);

  async function save(confirmTaken: boolean) {
    setBusy(true);
    setError(null);
    try {
      const change = { ...runnerRef(participant), newBib: bib.trim(), confirmTaken };
      const outcome = device
        ? await device.changeBib(change, fullName(participant.first_name, participant.last_name))
        : { queued: false as const, value: await client.call('pickup.changeBib', change) };
      if (outcome.queued) {
        onChanged({ changed: true, oldBib: participant.bib_number, newBib: change.newBib, takenBy: [], changeId: null }, true);
        return;
      }
      const result = outcome.value;
      if (!result.changed) {
        setTaken(result.takenBy);
        return;
      }
      onChanged(result, false);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`${forCheckIn ? 'Give a bib to' : 'Change bib of'} ${fullName(participant.first_name, participant.last_name)}`}
      size="md"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          // Enter only ever asks for a free bib; with the warning shown it changes nothing.
          if (bib.trim() && taken === null) void save(false);
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed" data-testid="bib-dialog-intro">
            {forCheckIn ? (
              <>This runner has no bib yet: give one to check them in.</>
            ) : (
              <>
                Current bib: <b>{participant.bib_number ?? 'none'}</b>
              </>
            )}
          </Text>
          <TextInput
            label="New bib"
            size="lg"
            data-autofocus
            value={bib}
            onChange={(event) => {
              setBib(event.currentTarget.value);
              setTaken(null);
            }}
            error={error}
            data-testid="new-bib-input"
            autoComplete="off"
          />
          {taken ? (
            <Alert color="orange" icon={<IconAlert />} title={`Bib ${bib.trim()} is taken`} data-testid="bib-taken-warning">
              <Stack gap={4}>
                {taken.map((holder) => (
                  <Text key={`${holder.provider}:${holder.participantId}`} size="sm">
                    {fullName(holder.firstName, holder.lastName)} already holds it{holder.isWalkUp ? ' (walk-up)' : ''}.
                  </Text>
                ))}
                <Text size="sm">Type another bib, or give it out anyway if that runner's bib is being replaced too.</Text>
              </Stack>
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            {taken ? (
              <Button color="orange" type="button" loading={busy} onClick={() => void save(true)} data-testid="use-anyway-button">
                Give out bib {bib.trim()} anyway
              </Button>
            ) : (
              <Button type="submit" loading={busy} disabled={!bib.trim()} data-testid="save-bib-button">
                {forCheckIn ? 'Give bib and check in' : 'Save bib'}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
