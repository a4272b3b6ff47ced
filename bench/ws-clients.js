// A child process holding many WebSocket clients for the live benchmarks, so the client side runs
// apart from the server under test. Driven by its parent over IPC:
//
//   { cmd: 'connect', url, origin, count, firstIndex, topic, concurrency }
//       opens `count` sockets (each with its own X-Forwarded-For address, as if behind a proxy),
//       subscribes each to `topic` from now on, answers { type: 'connected', opened, failed, error }
//   { cmd: 'arm', round, match }
//       every socket records when it next receives an `event` frame containing `match`;
//       answers { type: 'armed', round } at once and { type: 'round', round, times, missing,
//       distinctIds, sample } when every open socket has one, or on { cmd: 'collect' }
//   { cmd: 'close' }  closes every socket and exits
//
// Times are performance.timeOrigin + performance.now(): milliseconds on the machine's clock with
// sub-millisecond resolution, comparable between processes.
import WebSocket from 'ws';

const now = () => performance.timeOrigin + performance.now();
const sockets = [];
let round = null;

function send(message) {
  process.send?.(message);
}

function addressOf(index) {
  // 10.0.0.0/8: a distinct client address per socket, so per-address limits see distinct visitors.
  const n = index + 1;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function openOne({ url, origin, topic }, index) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { origin, 'x-forwarded-for': addressOf(index) },
      perMessageDeflate: false,
      handshakeTimeout: 30_000,
    });
    const client = { ws, time: 0, eventId: null, subscribed: false };
    const fail = (error) => {
      if (!client.subscribed) reject(error);
    };
    ws.once('error', fail);
    ws.once('unexpected-response', (_req, res) =>
      fail(new Error(`upgrade answered ${res.statusCode}`)),
    );
    ws.once('close', (code) => fail(new Error(`closed ${code} before subscribed`)));
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'subscribe', topics: [topic], lastEventId: null }));
    });
    ws.on('message', (data) => {
      const at = now();
      if (!client.subscribed) {
        const text = data.toString();
        if (text.includes('"type":"subscribed"')) {
          client.subscribed = true;
          resolve(client);
        } else if (text.includes('"type":"error"')) {
          reject(new Error(`subscribe refused: ${text}`));
        }
        return;
      }
      if (round && client.time === 0 && data.includes(round.match)) {
        client.time = at;
        const text = data.toString();
        client.eventId = /"id":(\d+)/.exec(text)?.[1] ?? null;
        round.sample ??= text;
        if (++round.received === round.expected) finishRound();
      }
    });
  });
}

async function connect(options) {
  const { count, firstIndex, concurrency } = options;
  let next = 0;
  let failed = 0;
  let firstError = null;
  const worker = async () => {
    while (next < count) {
      const index = firstIndex + next++;
      try {
        sockets.push(await openOne(options, index));
      } catch (error) {
        failed += 1;
        firstError ??= error.message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  send({ type: 'connected', opened: sockets.length, failed, error: firstError });
}

function finishRound() {
  if (!round) return;
  const times = [];
  const ids = new Set();
  for (const client of sockets) {
    if (client.time > 0) {
      times.push(client.time);
      ids.add(client.eventId);
    }
  }
  send({
    type: 'round',
    round: round.id,
    times,
    missing: sockets.length - times.length,
    distinctIds: ids.size,
    sample: round.sample ?? null,
  });
  round = null;
}

process.on('message', (message) => {
  if (message.cmd === 'connect') {
    void connect(message);
  } else if (message.cmd === 'arm') {
    for (const client of sockets) {
      client.time = 0;
      client.eventId = null;
    }
    round = { id: message.round, match: message.match, received: 0, expected: sockets.length };
    send({ type: 'armed', round: message.round });
  } else if (message.cmd === 'collect') {
    finishRound();
  } else if (message.cmd === 'close') {
    for (const client of sockets) client.ws.terminate();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
