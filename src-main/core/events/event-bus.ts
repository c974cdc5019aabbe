/**
 * Events the core pushes to whoever is watching: the Electron window, station browsers (SSE),
 * the CLI's progress bar. Names and payloads are declared in api/events.ts.
 */
import type { CoreEvents } from '../api/events.ts';

type Listener<K extends keyof CoreEvents> = (payload: CoreEvents[K]) => void;
type AnyListener = <K extends keyof CoreEvents>(name: K, payload: CoreEvents[K]) => void;

export class EventBus {
  private readonly listeners = new Map<keyof CoreEvents, Set<Listener<never>>>();
  private readonly allListeners = new Set<AnyListener>();

  on<K extends keyof CoreEvents>(name: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  onAny(listener: AnyListener): () => void {
    this.allListeners.add(listener);
    return () => this.allListeners.delete(listener);
  }

  emit<K extends keyof CoreEvents>(name: K, payload: CoreEvents[K]): void {
    for (const listener of this.listeners.get(name) ?? []) (listener as Listener<K>)(payload);
    for (const listener of this.allListeners) listener(name, payload);
  }
}
