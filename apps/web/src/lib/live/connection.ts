// The live entry of contracts, not its root: only the schemas of the socket's messages and of the
// topics' events come into the pages that follow a topic.
import {
  liveCloseCodes,
  parseLiveEvent,
  serverMessageSchema,
  type ClientMessage,
  type LiveEvent,
  type LiveEventMessage,
  type LiveTopic,
  type LiveTopicKind,
} from '@sabor/contracts/live';

/** What the page shows about the live connection. */
export type ConnectionState = 'connecting' | 'online' | 'offline';

export interface TopicHandlers<K extends LiveTopicKind> {
  /**
   * One event, each id once and in increasing order per topic, its payload parsed with the
   * topic's events (one that does not parse is left out, with a warning on the console).
   */
  event(event: LiveEventMessage<K>): void;
  /** Too much was missed: reload the topic's state over HTTP and follow it again from there. */
  resync(): void;
  /** How many people have the topic open (all instances), when the server reports it. */
  presence?(count: number): void;
}

export interface LiveConnectionOptions {
  /** ws(s)://…/api/ws */
  url: string;
  /** The WebSocket class (the browser's; tests pass the `ws` package's). */
  WebSocket?: typeof WebSocket;
  onState?(state: ConnectionState): void;
  /**
   * The account was suspended (close code 4003): its session is gone, so the connection stops.
   * By default the page reloads and shows what a signed-out visitor sees.
   */
  onAccountSuspended?(): void;
  /** First reconnection delay in ms, doubled per failure up to maxDelayMs (with jitter). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A ping every heartbeatMs; no answer within timeoutMs means the link is dead. */
  heartbeatMs?: number;
  timeoutMs?: number;
  /** Times the reconnection delays: the global timers; tests pass ones that record them. */
  reconnectTimers?: ReconnectTimers;
}

export interface ReconnectTimers {
  setTimeout(run: () => void, delayMs: number): ReturnType<typeof setTimeout>;
  clearTimeout(timer: ReturnType<typeof setTimeout>): void;
}

interface Followed {
  /** Highest event id seen on the topic; null until the server tells where "now" is. */
  lastEventId: number | null;
  /** Hands an event of the topic to its handler, once its payload parsed as the topic's own. */
  deliver(event: LiveEvent): void;
  handlers: Omit<TopicHandlers<LiveTopicKind>, 'event'>;
}

/** The socket URL of the page's own origin. */
export function liveUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`;
}

/**
 * One WebSocket to /api/ws for a page: follows topics with a bookmark each, reconnects with
 * backoff, and resubscribes from the bookmarks so nothing is missed or seen twice (see
 * docs/realtime.md, "Client rules").
 */
export class LiveConnection {
  readonly #options: Required<Omit<LiveConnectionOptions, 'onState'>> &
    Pick<LiveConnectionOptions, 'onState'>;
  readonly #topics = new Map<string, Followed>();
  #socket: WebSocket | null = null;
  #state: ConnectionState = 'connecting';
  #failures = 0;
  #closed = false;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  #deadline: ReturnType<typeof setTimeout> | null = null;

  constructor(options: LiveConnectionOptions) {
    this.#options = {
      WebSocket: globalThis.WebSocket,
      onAccountSuspended: () => globalThis.location.reload(),
      initialDelayMs: 500,
      maxDelayMs: 15_000,
      heartbeatMs: 25_000,
      timeoutMs: 10_000,
      reconnectTimers: {
        setTimeout: (run, delayMs) => setTimeout(run, delayMs),
        clearTimeout: (timer) => clearTimeout(timer),
      },
      ...options,
    };
    this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /**
   * Follows a topic from `fromEventId` (the id the page's data was loaded at; null for "from
   * now"). Returns a function that stops following.
   */
  follow<K extends LiveTopicKind>(
    topic: LiveTopic<K>,
    fromEventId: number | null,
    handlers: TopicHandlers<K>,
  ): () => void {
    const deliver = (event: LiveEvent) => {
      const payload = parseLiveEvent(topic, event.payload);
      if (payload.success) handlers.event({ ...event, topic, payload: payload.data });
      else console.warn(`live event ${event.id} on ${topic} ignored:`, payload.error.issues);
    };
    this.#topics.set(topic, { lastEventId: fromEventId, deliver, handlers });
    this.#subscribe(topic);
    return () => {
      if (!this.#topics.delete(topic)) return;
      this.#send({ type: 'unsubscribe', topics: [topic] });
    };
  }

  /** Reconnects at once (e.g. when the browser reports it is online again). */
  retryNow(): void {
    if (this.#closed || this.#state === 'online') return;
    if (this.#reconnectTimer) this.#options.reconnectTimers.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    this.#stopTimers();
    socket?.close();
    this.#connect();
  }

  close(): void {
    this.#closed = true;
    this.#stopTimers();
    if (this.#reconnectTimer) this.#options.reconnectTimers.clearTimeout(this.#reconnectTimer);
    this.#socket?.close(1000);
    this.#socket = null;
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#options.onState?.(state);
  }

  #connect(): void {
    this.#setState(this.#failures === 0 ? 'connecting' : 'offline');
    const socket = new this.#options.WebSocket(this.#options.url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#failures = 0;
      this.#setState('online');
      for (const topic of this.#topics.keys()) this.#subscribe(topic);
      this.#startHeartbeat();
    };
    socket.onmessage = (message: MessageEvent) => {
      this.#alive();
      if (typeof message.data === 'string') this.#receive(message.data);
    };
    socket.onclose = (event: CloseEvent) => {
      if (event.code === liveCloseCodes.accountSuspended && this.#socket === socket) {
        this.close();
        this.#setState('offline');
        this.#options.onAccountSuspended();
        return;
      }
      this.#drop(socket);
    };
    socket.onerror = () => this.#drop(socket);
  }

  /** Gives up on a socket at once (a dead link may take minutes to report its close). */
  #drop(socket: WebSocket): void {
    if (this.#socket !== socket) return;
    this.#socket = null;
    this.#stopTimers();
    socket.close();
    if (!this.#closed) this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    this.#failures += 1;
    this.#setState('offline');
    const base = Math.min(
      this.#options.maxDelayMs,
      this.#options.initialDelayMs * 2 ** (this.#failures - 1),
    );
    const delay = base / 2 + Math.random() * (base / 2);
    this.#reconnectTimer = this.#options.reconnectTimers.setTimeout(() => {
      this.#reconnectTimer = null;
      this.#connect();
    }, delay);
  }

  #subscribe(topic: string): void {
    const followed = this.#topics.get(topic);
    if (!followed) return;
    // One message per topic: bookmarks of topics with different histories must not be mixed.
    this.#send({ type: 'subscribe', topics: [topic], lastEventId: followed.lastEventId });
  }

  #send(message: ClientMessage): void {
    if (this.#socket?.readyState === 1) this.#socket.send(JSON.stringify(message));
  }

  #receive(data: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = serverMessageSchema.safeParse(raw);
    if (!parsed.success) {
      // A message of a newer server, or a malformed one: the connection carries on without it.
      console.warn('live message ignored:', parsed.error.issues);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'subscribed':
        for (const topic of message.topics) {
          const followed = this.#topics.get(topic);
          if (followed && followed.lastEventId === null) followed.lastEventId = message.lastEventId;
        }
        break;
      case 'event': {
        const followed = this.#topics.get(message.topic);
        if (!followed) break;
        if (followed.lastEventId !== null && message.id <= followed.lastEventId) break;
        followed.lastEventId = message.id;
        followed.deliver(message);
        break;
      }
      case 'resync': {
        const followed = this.#topics.get(message.topic);
        if (!followed) break;
        // The server no longer follows it; the page reloads and calls follow() again.
        this.#topics.delete(message.topic);
        followed.handlers.resync();
        break;
      }
      case 'presence':
        this.#topics.get(message.topic)?.handlers.presence?.(message.count);
        break;
      default:
        break;
    }
  }

  #startHeartbeat(): void {
    this.#heartbeatTimer = setInterval(() => {
      this.#send({ type: 'ping' });
      const socket = this.#socket;
      if (socket) this.#deadline ??= setTimeout(() => this.#drop(socket), this.#options.timeoutMs);
    }, this.#options.heartbeatMs);
  }

  #alive(): void {
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#deadline = null;
  }

  #stopTimers(): void {
    if (this.#heartbeatTimer) clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
    this.#alive();
  }
}
