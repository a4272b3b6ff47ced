import type { DatabaseHandle } from '@sabor/db';
import { liveChannel } from './outbox';

/** Tells this process that new live events may exist. Signals carry no data and may be lost. */
export interface LiveBus {
  /** Starts listening; `onSignal` runs on every notification and after every reconnection. */
  start(onSignal: () => void): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The bus over the database's own NOTIFY: `publishLiveEvent` notifies on commit, every process
 * LISTENs. After the listening connection comes back, missed notifications are covered by
 * signalling once (the hub then reads whatever it has not dispatched yet).
 */
export function databaseBus(database: Pick<DatabaseHandle, 'listen'>): LiveBus {
  let unlisten: (() => Promise<void>) | undefined;
  return {
    async start(onSignal) {
      unlisten = await database.listen(liveChannel, () => onSignal(), onSignal);
    },
    async stop() {
      const stop = unlisten;
      unlisten = undefined;
      await stop?.();
    },
  };
}
