import {
  clientMessageSchema,
  maxClientMessageBytes,
  type Locale,
  type ServerMessage,
} from '@sabor/contracts';
import type { WebSocket } from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '../errors';
import { isSameOrigin } from '../plugins/origin-check';

const messages = {
  invalid_message: { bg: 'Невалидно съобщение.', en: 'Invalid message.' },
  message_too_large: { bg: 'Съобщението е твърде голямо.', en: 'The message is too large.' },
} satisfies Record<string, Record<Locale, string>>;

function send(socket: WebSocket, message: ServerMessage) {
  socket.send(JSON.stringify(message));
}

/**
 * GET /api/ws: the live channel. Authenticates by the session cookie (resolved by the auth plugin
 * before the upgrade), refuses other sites' pages, and parses every message by its contract. Topics
 * and replay arrive with the consultations feature; this is the protocol's handshake and heartbeat.
 */
export const wsRoutes: FastifyPluginAsync<{ publicOrigin: string }> = async (
  app,
  { publicOrigin },
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
      send(socket, { type: 'welcome', userId: request.user?.id ?? null, protocol: 1 });
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary || data.length > maxClientMessageBytes) {
          const code = isBinary ? 'invalid_message' : 'message_too_large';
          send(socket, { type: 'error', code, message: messages[code][locale] });
          return;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString('utf8'));
        } catch {
          parsed = undefined;
        }
        const message = clientMessageSchema.safeParse(parsed);
        if (!message.success) {
          send(socket, {
            type: 'error',
            code: 'invalid_message',
            message: messages.invalid_message[locale],
          });
          return;
        }
        if (message.data.type === 'ping')
          send(socket, {
            type: 'pong',
            ...(message.data.id !== undefined && { id: message.data.id }),
          });
      });
    },
  );
};
