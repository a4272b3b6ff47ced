import {
  clientMessageSchema,
  maxClientMessageBytes,
  type ClientMessage,
  type Locale,
  type ServerMessage,
  type SessionUser,
} from '@sabor/contracts';
import type { WebSocket } from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '../errors';
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

/** Who may follow a topic: the moderation queue is for staff, everything else is public. */
export function mayFollowTopic(user: SessionUser | null, topic: string): boolean {
  if (topic.startsWith('moderation:')) return hasRole(user, 'moderator');
  return true;
}

function send(socket: WebSocket, message: ServerMessage) {
  socket.send(JSON.stringify(message));
}

/**
 * GET /api/ws: the live channel. Authenticates by the session cookie (resolved by the auth plugin
 * before the upgrade), refuses other sites' pages, and parses every message by its contract; topic
 * subscriptions go to the hub (docs/realtime.md).
 */
export const wsRoutes: FastifyPluginAsync<{ publicOrigin: string; hub: LiveHub }> = async (
  app,
  { publicOrigin, hub },
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
      const refuse = (code: ErrorCode) =>
        send(socket, { type: 'error', code, message: messages[code][locale] });
      const following = new Map<string, LiveSubscription>();
      let closed = false;
      // Messages are handled one at a time, so a subscribe's replay finishes before the next
      // message (and a flood of subscribes cannot hold many database connections).
      let queue = Promise.resolve();
      let queued = 0;

      const unfollow = (topics: Iterable<string>) => {
        for (const topic of topics) {
          const subscription = following.get(topic);
          if (subscription) hub.unsubscribe(subscription, [topic]);
          following.delete(topic);
        }
      };

      const handle = async (message: ClientMessage) => {
        if (message.type === 'ping') {
          send(socket, { type: 'pong', ...(message.id !== undefined && { id: message.id }) });
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
        const subscription = await hub.subscribe(topics, message.lastEventId, (m) =>
          send(socket, m),
        );
        if (closed) hub.unsubscribe(subscription);
        else for (const topic of subscription.topics) following.set(topic, subscription);
      };

      socket.on('close', () => {
        closed = true;
        unfollow([...following.keys()]);
      });
      send(socket, { type: 'welcome', userId: request.user?.id ?? null, protocol: 1 });
      const receive = async (data: Buffer, isBinary: boolean) => {
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
        if (++queued > maxQueuedMessages) {
          socket.close(1008, 'too many messages');
          return;
        }
        queue = queue
          .then(() => receive(data, isBinary))
          .catch((err: unknown) => {
            // The database failed mid-subscribe: the client reconnects and resubscribes from its
            // bookmark, which loses nothing.
            request.log.warn({ err }, 'live message failed');
            socket.close(1011, 'try again');
          })
          .finally(() => {
            queued -= 1;
          });
      });
    },
  );
};
