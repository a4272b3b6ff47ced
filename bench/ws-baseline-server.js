// The raw `ws` server Sabor's live fan-out is compared with: the same /api/ws path and subscribe
// handshake, no framework, no database, no per-subscriber work. `POST /broadcast` sends its request
// body, unchanged, as one text frame to every subscribed socket (the frame is built once) — what a
// bare broadcast costs on this machine at that moment.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const subscribed = new Set();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

wss.on('connection', (ws) => {
  ws.send(JSON.stringify({ type: 'welcome', userId: null, protocol: 1 }));
  ws.on('message', (data) => {
    let message;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (message?.type === 'subscribe' && Array.isArray(message.topics)) {
      subscribed.add(ws);
      ws.send(JSON.stringify({ type: 'subscribed', topics: message.topics, lastEventId: 0 }));
    }
  });
  ws.on('close', () => subscribed.delete(ws));
});

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  if (req.method === 'POST' && req.url === '/broadcast') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const frame = Buffer.concat(chunks).toString('utf8');
      for (const ws of subscribed) ws.send(frame);
      res.writeHead(204).end();
    });
    return;
  }
  res.writeHead(404).end();
});

server.on('upgrade', (req, socket, head) => {
  if (req.url !== '/api/ws') {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  server.close();
  server.closeAllConnections();
});
