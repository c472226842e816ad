/**
 * A list of callbacks that is cheap to emit to: the array is replaced (never mutated) on add and
 * remove, so emitting needs no copy and a listener may unsubscribe itself while being called. A
 * listener that throws is reported to `onListenerError` and the others still run.
 */
export class Listeners<T> {
  private list: ReadonlyArray<(value: T) => void> = [];

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  /** Adds a listener; returns its unsubscribe (idempotent). */
  add(listener: (value: T) => void): () => void {
    this.list = [...this.list, listener];
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const index = this.list.indexOf(listener);
      if (index >= 0) this.list = [...this.list.slice(0, index), ...this.list.slice(index + 1)];
    };
  }

  get size(): number {
    return this.list.length;
  }

  emit(value: T): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i]!(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  clear(): void {
    this.list = [];
  }
}
