/** A listener for one event of an event map. */
export type EventListener<Payload> = (payload: Payload) => void;

/**
 * A minimal typed event emitter: each event carries one payload object. A listener that throws
 * never stops the others; the error goes to `onListenerError`.
 */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Array<EventListener<never>>>();

  constructor(private readonly onListenerError: (error: unknown, event: keyof Events) => void) {}

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: EventListener<Events[K]>): () => void {
    const list = this.listeners.get(event);
    if (list) list.push(listener);
    else this.listeners.set(event, [listener]);
    return () => this.off(event, listener);
  }

  /** Adds a listener that is removed after its first call. */
  once<K extends keyof Events>(event: K, listener: EventListener<Events[K]>): () => void {
    const wrapper: EventListener<Events[K]> = (payload) => {
      this.off(event, wrapper);
      listener(payload);
    };
    return this.on(event, wrapper);
  }

  off<K extends keyof Events>(event: K, listener: EventListener<Events[K]>): void {
    const list = this.listeners.get(event);
    if (!list) return;
    const index = list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.listeners.delete(event);
  }

  listenerCount(event?: keyof Events): number {
    if (event !== undefined) return this.listeners.get(event)?.length ?? 0;
    let total = 0;
    for (const list of this.listeners.values()) total += list.length;
    return total;
  }

  removeAllListeners(event?: keyof Events): void {
    if (event === undefined) this.listeners.clear();
    else this.listeners.delete(event);
  }

  /** Calls every listener of `event` in order; returns whether there was any. */
  emit<K extends keyof Events>(event: K, payload: Events[K]): boolean {
    const list = this.listeners.get(event) as Array<EventListener<Events[K]>> | undefined;
    if (!list) return false;
    // Copy only when there is more than one listener: one may remove another mid-emit.
    const snapshot = list.length === 1 ? list : list.slice();
    for (const listener of snapshot) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
    return true;
  }
}
