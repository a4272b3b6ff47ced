import type { PresenceReport } from './bus';

export interface PresenceTimings {
  /** Every instance re-sends all its counts this often; they are what keeps it counted. */
  reportIntervalMs: number;
  /** An instance not heard from for this long (it died) no longer counts. */
  ttlMs: number;
  /** Local changes are gathered this long before they are reported to the other instances. */
  reportDelayMs: number;
  /** A topic's subscribers are told its count at most this often. */
  notifyIntervalMs: number;
}

export const defaultPresenceTimings: PresenceTimings = {
  reportIntervalMs: 5000,
  ttlMs: 15_000,
  reportDelayMs: 100,
  notifyIntervalMs: 1000,
};

export interface PresenceOptions extends Partial<PresenceTimings> {
  /** This process's id in reports; reports carrying it are its own and ignored. */
  instance: string;
  publish(report: PresenceReport): Promise<void>;
  /**
   * Tells the local subscribers of `topic` its count: all of them when it `changed` since they were
   * last told, otherwise only those who were not told yet (the hub knows which).
   */
  notify(topic: string, count: number, changed: boolean): void;
  logger: { warn(details: object, message: string): void };
  /** The clock for expiry; tests pass their own. */
  now?: () => number;
}

interface Remote {
  count: number;
  expiresAt: number;
}

/**
 * How many connections follow each topic on all instances together. Each instance counts its own
 * and reports them over the bus (changes soon, everything periodically); the others' counts are
 * kept until they expire, so an instance that dies without a word drops out after `ttlMs`.
 * Approximate by design: a report may be lost or late, and the next one corrects it.
 */
export class Presence {
  readonly #options: PresenceOptions;
  readonly #timings: PresenceTimings;
  readonly #now: () => number;
  readonly #local = new Map<string, number>();
  readonly #remote = new Map<string, Map<string, Remote>>();
  /** Local counts changed since the last report. */
  readonly #unreported = new Set<string>();
  /** Topics whose total may have changed, or that have subscribers not yet told. */
  readonly #unnotified = new Set<string>();
  /** The count last told to the local subscribers of a topic. */
  readonly #notified = new Map<string, number>();
  #reportTimer: NodeJS.Timeout | undefined;
  #notifyTimer: NodeJS.Timeout | undefined;
  #periodic: NodeJS.Timeout | undefined;
  #lastNotifyAt = 0;
  #running = false;
  #failing = false;

  constructor(options: PresenceOptions) {
    this.#options = options;
    const d = defaultPresenceTimings;
    this.#timings = {
      reportIntervalMs: options.reportIntervalMs ?? d.reportIntervalMs,
      ttlMs: options.ttlMs ?? d.ttlMs,
      reportDelayMs: options.reportDelayMs ?? d.reportDelayMs,
      notifyIntervalMs: options.notifyIntervalMs ?? d.notifyIntervalMs,
    };
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    this.#running = true;
    this.#periodic = setInterval(() => this.tick(), this.#timings.reportIntervalMs);
    this.#periodic.unref();
  }

  /** Stops, telling the other instances this one's connections are gone. */
  async stop(): Promise<void> {
    this.#running = false;
    clearInterval(this.#periodic);
    clearTimeout(this.#reportTimer);
    clearTimeout(this.#notifyTimer);
    const counts = [...this.#local.keys()].map((topic): [string, number] => [topic, 0]);
    this.#local.clear();
    if (counts.length > 0) await this.#publish({ instance: this.#options.instance, counts });
  }

  /** This instance now has `count` connections following `topic`. */
  setLocal(topic: string, count: number): void {
    if ((this.#local.get(topic) ?? 0) === count) return;
    if (count === 0) this.#local.delete(topic);
    else this.#local.set(topic, count);
    this.#unreported.add(topic);
    this.#scheduleReport();
    this.touch(topic);
  }

  /** Someone new follows `topic` here: tell them the count soon, even if it did not change. */
  touch(topic: string): void {
    this.#unnotified.add(topic);
    this.#scheduleNotify();
  }

  /** The connections following `topic` on every instance heard from. */
  count(topic: string): number {
    let total = this.#local.get(topic) ?? 0;
    const now = this.#now();
    for (const remote of this.#remote.get(topic)?.values() ?? []) {
      if (remote.expiresAt > now) total += remote.count;
    }
    return total;
  }

  /** Takes in another instance's report. */
  receive(report: PresenceReport): void {
    if (report.instance === this.#options.instance || !this.#running) return;
    const expiresAt = this.#now() + this.#timings.ttlMs;
    for (const [topic, count] of report.counts) {
      let instances = this.#remote.get(topic);
      const before = instances?.get(report.instance)?.count ?? 0;
      if (count === 0) {
        instances?.delete(report.instance);
        if (instances?.size === 0) this.#remote.delete(topic);
      } else {
        if (!instances) this.#remote.set(topic, (instances = new Map<string, Remote>()));
        instances.set(report.instance, { count, expiresAt });
      }
      if (before !== count && this.#local.has(topic)) this.touch(topic);
    }
  }

  /** The periodic work: re-sends every local count and forgets instances not heard from. */
  tick(): void {
    const now = this.#now();
    for (const [topic, instances] of this.#remote) {
      for (const [instance, remote] of instances) {
        if (remote.expiresAt > now) continue;
        instances.delete(instance);
        if (this.#local.has(topic)) this.touch(topic);
      }
      if (instances.size === 0) this.#remote.delete(topic);
    }
    if (this.#local.size > 0)
      void this.#publish({ instance: this.#options.instance, counts: [...this.#local] });
  }

  #scheduleReport(): void {
    if (this.#reportTimer || !this.#running) return;
    this.#reportTimer = setTimeout(() => {
      this.#reportTimer = undefined;
      const counts = [...this.#unreported].map((topic): [string, number] => [
        topic,
        this.#local.get(topic) ?? 0,
      ]);
      this.#unreported.clear();
      void this.#publish({ instance: this.#options.instance, counts });
    }, this.#timings.reportDelayMs);
    this.#reportTimer.unref();
  }

  #scheduleNotify(): void {
    if (this.#notifyTimer || !this.#running) return;
    // A burst of joins is told once; after that, at most once per interval.
    const wait = Math.max(
      this.#timings.reportDelayMs,
      this.#lastNotifyAt + this.#timings.notifyIntervalMs - Date.now(),
    );
    this.#notifyTimer = setTimeout(() => this.#notifyNow(), wait);
    this.#notifyTimer.unref();
  }

  #notifyNow(): void {
    this.#notifyTimer = undefined;
    this.#lastNotifyAt = Date.now();
    const topics = [...this.#unnotified];
    this.#unnotified.clear();
    for (const topic of topics) {
      if (!this.#local.has(topic)) {
        this.#notified.delete(topic);
        continue;
      }
      const count = this.count(topic);
      const changed = this.#notified.get(topic) !== count;
      this.#notified.set(topic, count);
      this.#options.notify(topic, count, changed);
    }
  }

  async #publish(report: PresenceReport): Promise<void> {
    if (report.counts.length === 0) return;
    try {
      await this.#options.publish(report);
      this.#failing = false;
    } catch (err) {
      // Logged once per outage; the periodic report repairs the others' counts afterwards.
      if (!this.#failing) this.#options.logger.warn({ err }, 'presence report failed');
      this.#failing = true;
    }
  }
}
