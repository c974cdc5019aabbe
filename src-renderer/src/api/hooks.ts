import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { ApiError, type Client, type EventName, type EventPayload, type HandlerName, type Input, type LinkState, type Output } from './client.ts';

export const ClientContext = createContext<Client | null>(null);

export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient() outside <ClientContext.Provider>');
  return client;
}

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

export interface QueryOptions {
  /** Re-read when the core says one of these areas changed ('data.changed'); '*' for any. */
  refreshOn?: readonly string[];
  /** Skip the call (e.g. no input yet). */
  enabled?: boolean;
}

/**
 * Calls a handler and keeps its answer; re-runs when the input changes or the core reports a
 * change in one of `refreshOn`. Answers to superseded inputs are dropped, so fast typing never
 * shows results for an older query.
 */
export function useQuery<K extends HandlerName>(name: K, input: Input<K>, options: QueryOptions = {}): QueryState<Output<K>> {
  const client = useClient();
  const key = JSON.stringify(input ?? {});
  const enabled = options.enabled ?? true;
  const [state, setState] = useState<{ data: Output<K> | undefined; error: ApiError | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: enabled,
  });
  const generation = useRef(0);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    if (!enabled) return;
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    void client.result(name, JSON.parse(key) as Input<K>).then((answer) => {
      if (mine !== generation.current) return;
      setState(
        answer.ok
          ? { data: answer.value, error: null, loading: false }
          : { data: undefined, error: new ApiError(answer.error.code, answer.error.message), loading: false },
      );
    });
  }, [client, name, key, enabled, tick]);

  const areas = (options.refreshOn ?? []).join('|');
  useEffect(() => {
    if (!areas) return;
    const wanted = areas.split('|');
    return client.on('data.changed', ({ area }) => {
      if (wanted.includes('*') || wanted.includes(area)) reload();
    });
  }, [client, areas, reload]);

  return { ...state, reload };
}

export function useCoreEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  const client = useClient();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => client.on(event, (payload) => latest.current(payload)), [client, event]);
}

export function useLinkState(): LinkState {
  const client = useClient();
  const [state, setState] = useState<LinkState>('connecting');
  useEffect(() => client.transport.onLinkState(setState), [client]);
  return state;
}
