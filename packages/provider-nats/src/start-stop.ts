/**
 * start()/stop() for something that opens and closes a connection: a start waits for a stop under
 * way (and the reverse), `running` turns true at once on start and false at once on stop (so
 * callbacks arriving meanwhile are ignored), and a failed open leaves it stopped.
 */
export class StartStop {
  private runningValue = false;
  private transition: Promise<void> | undefined;

  constructor(
    private readonly open: () => Promise<void>,
    private readonly close: () => Promise<void>,
  ) {}

  get running(): boolean {
    return this.runningValue;
  }

  async start(): Promise<void> {
    if (this.runningValue) return;
    if (this.transition) await this.transition;
    this.runningValue = true;
    const starting = this.open();
    this.transition = starting.then(
      () => undefined,
      () => undefined,
    );
    try {
      await starting;
    } catch (error) {
      this.runningValue = false;
      throw error;
    } finally {
      this.transition = undefined;
    }
  }

  async stop(): Promise<void> {
    if (!this.runningValue) return this.transition;
    this.runningValue = false;
    if (this.transition) await this.transition;
    const closing = this.close();
    this.transition = closing;
    try {
      await closing;
    } finally {
      this.transition = undefined;
    }
  }
}
