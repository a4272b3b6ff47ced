import {
  clientMessageSchema,
  liveCloseCodes,
  maxClientMessageBytes,
  userLiveEventSchema,
  userTopic,
  type ClientMessage,
  type Locale,
  type ServerMessage,
  type SessionUser,
} from '@sabor/contracts';
import { users, type Database } from '@sabor/db';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ApiError } from '../errors';
import { isSuspended } from '../modules/auth/session-service';
import { hasRole } from '../plugins/auth';
import { isSameOrigin } from '../plugins/origin-check';
import type { LiveHub, LiveSubscription } from './hub';

type ErrorCode = Extract<ServerMessage, { type: 'error' }>['code'];

const messages = {
  invalid_message: { bg: 'Невалидно съобщение.', en: 'Invalid message.' },
  message_too_large: { bg: 'Съобщението е твърде голямо.', en: 'The message is too large.' },
  forbidden_topic: {
    bg: 'Нямате достъп до тези обновления.',
    en: 'You may not follow these updates.',
  },
  too_many_topics: {
    bg: 'Следите твърде много теми в този прозорец.',
    en: 'Too many topics followed in this window.',
  },
} satisfies Record<ErrorCode, Record<Locale, string>>;

/** Topics one socket may follow at once; each costs memory in the hub. */
const maxTopicsPerSocket = 50;
/** Messages waiting behind a slow one (a subscribe's replay) before the socket is closed. */
const maxQueuedMessages = 100;
/** Refused messages (error frames) one socket may cause per window before it is closed. */
const maxRefusedPerWindow = 20;
/** Messages of any kind one socket may send per window before it is closed. */
const maxMessagesPerWindow = 300;
const abuseWindowMs = 60_000;
/** Bytes waiting to be sent to one socket before it is closed as too slow (1013). */
/**
 * The hub hands one message object to every subscriber of a topic: it is turned into a frame once,
 * not once per socket (5,000 sockets, one JSON.stringify).
 */
const frames = new WeakMap<object, string>();
function frameOf(message: ServerMessage): string {
  let frame = frames.get(message);
  if (frame === undefined) {
    frame = JSON.stringify(message);
    frames.set(message, frame);
  }
  return frame;
}

export const defaultMaxBufferedBytes = 4 * 1024 * 1024;
/** How long a replay waits for a client to read before the socket is closed as too slow. */
const replayStallMs = 30_000;

/** Counts occurrences in fixed windows: `add()` answers whether the limit is now exceeded. */
function windowCounter(limit: number, windowMs: number) {
  let windowStart = Date.now();
  let count = 0;
  return {
    add(): boolean {
      const now = Date.now();
      if (now - windowStart >= windowMs) {
        windowStart = now;
        count = 0;
      }
      count += 1;
      return count > limit;
    },
  };
}

/**
 * Who may follow a topic: the moderation queue is for staff, a user's own topic (notices about
 * their content and account) for that user alone, everything else is public.
 */
export function mayFollowTopic(user: SessionUser | null, topic: string): boolean {
  if (topic.startsWith('moderation:')) return hasRole(user, 'moderator');
  if (topic.startsWith('user:')) return user !== null && topic === userTopic(user.id);
  return true;
}

/** Is the account suspended now (as the database says, not as the session said at connect)? */
async function suspendedNow(db: Database, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ suspendedAt: users.suspendedAt, suspendedUntil: users.suspendedUntil })
    .from(users)
    .where(eq(users.id, userId));
  return row !== undefined && isSuspended(row);
}

/**
 * The @fastify/websocket `preClose`: on shutdown every socket is closed with 1001 ("going away"),
 * which tells clients to reconnect (to another instance) and resume from their bookmarks.
 */
export function closeLiveSockets(this: FastifyInstance, done: () => void): void {
  for (const client of this.websocketServer.clients)
    client.close(liveCloseCodes.goingAway, 'restarting');
  this.websocketServer.close();
  done();
}

export interface WsRoutesOptions {
  publicOrigin: string;
  hub: LiveHub;
  /** Bytes waiting to be sent to one socket before it is closed (1013); 4 MiB by default. */
  maxBufferedBytes?: number;
}

/**
 * GET /api/ws: the live channel. Authenticates by the session cookie (resolved by the auth plugin
 * before the upgrade), refuses other sites' pages, and parses every message by its contract; topic
 * subscriptions go to the hub (docs/realtime.md). Closes abusive sockets (1008), those that read
 * too slowly (1013), and a signed-in user's sockets when the account is suspended (4003): every
 * such socket watches the user's own topic from the moment it connects, on every instance.
 */
export const wsRoutes: FastifyPluginAsync<WsRoutesOptions> = async (
  app,
  { publicOrigin, hub, maxBufferedBytes = defaultMaxBufferedBytes },
) => {
  app.get(
    '/ws',
    {
      websocket: true,
      config: { access: 'public' },
      schema: { hide: true },
      preValidation: async (request) => {
        if (!isSameOrigin(request, publicOrigin)) throw new ApiError(403, 'cross_origin');
      },
    },
    (socket, request) => {
      const locale = request.locale;
      const following = new Map<string, LiveSubscription>();
      let closed = false;
      const refused = windowCounter(maxRefusedPerWindow, abuseWindowMs);
      const received = windowCounter(maxMessagesPerWindow, abuseWindowMs);

      let unwatchOwnTopic: (() => void) | undefined;
      const unfollow = (topics: Iterable<string>) => {
        for (const topic of topics) {
          const subscription = following.get(topic);
          if (subscription) hub.unsubscribe(subscription, [topic]);
          following.delete(topic);
        }
      };
      /** Stops following everything at once and closes; the client reconnects from its bookmarks. */
      const close = (code: number, reason: string) => {
        if (closed) return;
        closed = true;
        unfollow([...following.keys()]);
        unwatchOwnTopic?.();
        socket.close(code, reason);
      };
      // While a replay runs it paces itself (waitForRoom) instead of tripping the limit.
      let replaying = false;
      const send = (message: ServerMessage) => {
        if (closed) return;
        socket.send(frameOf(message));
        // A client that does not read would make the server hold everything for it.
        if (!replaying && socket.bufferedAmount > maxBufferedBytes)
          close(liveCloseCodes.tryAgainLater, 'reading too slowly');
      };
      /** Holds a replay while more than half the limit waits to be sent; gives up after a while. */
      const waitForRoom = () => {
        if (closed || socket.bufferedAmount <= maxBufferedBytes / 2) return undefined;
        const deadline = Date.now() + replayStallMs;
        return new Promise<void>((resolve) => {
          const check = () => {
            if (Date.now() > deadline) close(liveCloseCodes.tryAgainLater, 'reading too slowly');
            if (closed || socket.bufferedAmount <= maxBufferedBytes / 2) resolve();
            else setTimeout(check, 20);
          };
          check();
        });
      };
      const refuse = (code: ErrorCode) => {
        if (refused.add()) {
          close(liveCloseCodes.policyViolation, 'too many invalid messages');
          return;
        }
        send({ type: 'error', code, message: messages[code][locale] });
      };
      // Messages are handled one at a time, so a subscribe's replay finishes before the next
      // message (and a flood of subscribes cannot hold many database connections).
      let queue = Promise.resolve();
      let queued = 0;

      const handle = async (message: ClientMessage) => {
        if (message.type === 'ping') {
          send({ type: 'pong', ...(message.id !== undefined && { id: message.id }) });
          return;
        }
        const topics = [...new Set(message.topics)];
        if (message.type === 'unsubscribe') {
          unfollow(topics);
          return;
        }
        if (!topics.every((topic) => mayFollowTopic(request.user, topic))) {
          refuse('forbidden_topic');
          return;
        }
        const added = topics.filter((topic) => !following.has(topic)).length;
        if (following.size + added > maxTopicsPerSocket) {
          refuse('too_many_topics');
          return;
        }
        // Subscribing again to a topic restarts it from the given bookmark.
        unfollow(topics);
        replaying = true;
        const subscription = await hub
          .subscribe(topics, message.lastEventId, send, waitForRoom)
          .finally(() => {
            replaying = false;
          });
        if (closed) hub.unsubscribe(subscription);
        else for (const topic of subscription.topics) following.set(topic, subscription);
      };

      socket.on('close', () => {
        closed = true;
        unfollow([...following.keys()]);
        unwatchOwnTopic?.();
      });
      send({ type: 'welcome', userId: request.user?.id ?? null, protocol: 1 });
      const user = request.user;
      if (user) {
        const closeSuspended = () => close(liveCloseCodes.accountSuspended, 'account suspended');
        unwatchOwnTopic = hub.watch(userTopic(user.id), (event) => {
          const parsed = userLiveEventSchema.safeParse(event.payload);
          if (parsed.success && parsed.data.type === 'account_suspended') closeSuspended();
        });
        // A suspension that committed after the session was checked but before the watch began
        // is not seen by the watch; the account itself says so.
        suspendedNow(app.db, user.id)
          .then((suspended) => {
            if (suspended) closeSuspended();
          })
          .catch((err: unknown) => {
            request.log.warn({ err }, 'live suspension check failed');
            close(liveCloseCodes.internalError, 'try again');
          });
      }
      const receive = async (data: Buffer, isBinary: boolean) => {
        if (closed) return;
        if (isBinary || data.length > maxClientMessageBytes) {
          refuse(isBinary ? 'invalid_message' : 'message_too_large');
          return;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString('utf8'));
        } catch {
          parsed = undefined;
        }
        const message = clientMessageSchema.safeParse(parsed);
        if (message.success) await handle(message.data);
        else refuse('invalid_message');
      };

      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (closed) return;
        if (++queued > maxQueuedMessages || received.add()) {
          close(liveCloseCodes.policyViolation, 'too many messages');
          return;
        }
        queue = queue
          .then(() => receive(data, isBinary))
          .catch((err: unknown) => {
            // The database failed mid-subscribe: the client reconnects and resubscribes from its
            // bookmark, which loses nothing.
            request.log.warn({ err }, 'live message failed');
            close(liveCloseCodes.internalError, 'try again');
          })
          .finally(() => {
            queued -= 1;
          });
      });
    },
  );
};
