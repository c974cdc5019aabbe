import { useEffect, useState } from 'react';
import { Group, Switch, Text, TextInput } from '@mantine/core';
import { errorMessage, type Output } from '../../api/client.ts';
import { useClient, useCoreEvent, useQuery } from '../../api/hooks.ts';

type WatchStatus = Output<'results.watchStatus'>;

const clock = (iso: string) => new Date(iso).toLocaleTimeString('en-GB');

/** "Watching D:\Lynx — last import 14:02:11, 38 written, 1 held", or why it is not watching. */
function statusLine(status: WatchStatus): string | null {
  if (!status.watching) return status.folder && status.problem ? `Not watching ${status.folder}: ${status.problem.message}` : null;
  const what = status.eventName ? ` for ${status.eventName}` : '';
  const last = status.lastImport ? `last import ${clock(status.lastImport.at)}, ${status.written} written, ${status.held} held` : 'no file imported yet';
  return `Watching ${status.folder}${what} — ${last}`;
}

/**
 * The watched results folder: FinishLynx (or any timing software) writes into a folder on the
 * laptop that runs RaceDesk, and every complete file is imported as by hand, bad rows held. The
 * watch runs in that laptop's core, so it goes on with this screen closed and after a restart.
 */
export function WatchFolder({ eventId, provider }: { eventId: string; provider: string }) {
  const client = useClient();
  const fetched = useQuery('results.watchStatus', {});
  const [status, setStatus] = useState<WatchStatus | null>(null);
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useCoreEvent('results.watch', setStatus);
  useEffect(() => {
    if (!fetched.data) return;
    setStatus(fetched.data);
    if (fetched.data.folder) setFolder(fetched.data.folder);
  }, [fetched.data]);

  const current = status ?? fetched.data;
  if (!current) return null;
  const watchingThis = current.watching && current.event === eventId && current.provider === provider;

  async function toggle(on: boolean) {
    setError(null);
    setBusy(true);
    try {
      setStatus(on ? await client.call('results.watchStart', { event: eventId, provider, folder }) : await client.call('results.watchStop', {}));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  const line = statusLine(current);
  const problem = current.watching ? current.problem : null;
  return (
    <div data-testid="results-watch">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Watched folder (on the RaceDesk laptop)"
          placeholder="The folder your timing software writes results to"
          value={folder}
          onChange={(e) => setFolder(e.currentTarget.value)}
          disabled={watchingThis || busy}
          w={380}
          data-testid="results-watch-folder"
        />
        <Switch
          label="Import new files automatically"
          checked={watchingThis}
          disabled={busy || (!watchingThis && folder.trim() === '')}
          onChange={(e) => void toggle(e.currentTarget.checked)}
          mb={8}
          data-testid="results-watch-switch"
        />
      </Group>
      {line ? (
        <Text size="sm" c={current.watching ? 'teal' : 'orange'} mt={4} data-testid="results-watch-status">
          {line}
        </Text>
      ) : null}
      {problem ? (
        <Text size="sm" c="red" data-testid="results-watch-problem">
          {clock(problem.at)} {problem.fileName ?? current.folder}: {problem.message}
        </Text>
      ) : null}
      {error ? (
        <Text size="sm" c="red" data-testid="results-watch-error">
          {error}
        </Text>
      ) : null}
    </div>
  );
}
