/**
 * The streams a plugin made that are running, so that the plugin's `close()` can end them: give a
 * stream `onRunningChange: (running) => streams.note(stream, running)`.
 */
export class RunningStreams<Stream> {
  private readonly running = new Set<Stream>();

  /** A stream started (true) or stopped (false). */
  note(stream: Stream, running: boolean): void {
    if (running) this.running.add(stream);
    else this.running.delete(stream);
  }

  get size(): number {
    return this.running.size;
  }

  /** Ends every running stream with `end` (its stop or close), forgetting them first. */
  async endAll(end: (stream: Stream) => Promise<void>): Promise<void> {
    const streams = [...this.running];
    this.running.clear();
    await Promise.all(streams.map(end));
  }
}
