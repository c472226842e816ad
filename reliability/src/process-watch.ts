/**
 * Records every unhandled rejection and uncaught exception in this process while installed. The
 * matrix fails a case when one appeared during it (with concurrent cases, the first one found fails
 * every case running at that moment, which is what we want: none may happen at all).
 */
export class ProcessWatch {
  readonly rejections: string[] = [];
  readonly exceptions: string[] = [];
  private readonly onRejection = (reason: unknown): void => {
    this.rejections.push(reason instanceof Error ? (reason.stack ?? reason.message) : String(reason));
  };
  private readonly onException = (error: Error): void => {
    this.exceptions.push(error.stack ?? error.message);
  };

  install(): this {
    process.on('unhandledRejection', this.onRejection);
    process.on('uncaughtException', this.onException);
    return this;
  }

  uninstall(): void {
    process.off('unhandledRejection', this.onRejection);
    process.off('uncaughtException', this.onException);
  }

  get total(): number {
    return this.rejections.length + this.exceptions.length;
  }
}

/** Active handles by type (sockets, timers, servers), from process.getActiveResourcesInfo(). */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** `after - before` for every type that grew. */
export function resourceGrowth(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const grown: Record<string, number> = {};
  for (const [type, count] of Object.entries(after)) {
    const delta = count - (before[type] ?? 0);
    if (delta > 0) grown[type] = delta;
  }
  return grown;
}
