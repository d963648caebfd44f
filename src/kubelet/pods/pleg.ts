// Pod lifecycle event generator: relists this node's containers every second
// (one ListContainers call) and reports the pods whose containers changed
// state, so a worker notices an exit at once instead of at its next resync.

import { LABEL_MANAGED_BY, LABEL_POD_UID, type CriRuntime } from '../cri/api.js';
import { log } from '../../log.js';

export class Pleg {
  private last = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly cri: CriRuntime,
    private readonly nodeName: string,
    private readonly onChange: (podUid: string) => void,
    private readonly periodMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.relist(), this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One relist; exported for tests. */
  async relist(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const containers = await this.cri.listContainers({ label_selector: { [LABEL_MANAGED_BY]: this.nodeName } });
      const now = new Map<string, string>();
      const changed = new Set<string>();
      for (const c of containers) {
        const uid = c.labels[LABEL_POD_UID];
        if (!uid) continue;
        now.set(c.id, `${uid}/${c.state}`);
        if (this.last.get(c.id) !== `${uid}/${c.state}`) changed.add(uid);
      }
      for (const [id, v] of this.last) if (!now.has(id)) changed.add(v.slice(0, v.lastIndexOf('/')));
      // The first relist only records the baseline.
      const first = this.last.size === 0 && changed.size === now.size;
      this.last = now;
      if (!first) for (const uid of changed) this.onChange(uid);
    } catch (e) {
      log.debug('pleg relist failed', { err: e instanceof Error ? e.message : String(e) });
    } finally {
      this.running = false;
    }
  }
}
