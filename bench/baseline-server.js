// The bare node:http server Sabor is compared with: the same paths, fixed bodies, no framework,
// no database. It shows what this machine and Node can do, so Sabor's figures read as a ratio.
import { createServer } from 'node:http';

const marker = process.env.BENCH_MARKER ?? 'Bench Marker Municipality';
const health = JSON.stringify({ status: 'ok', database: 'ok', engine: 'none', version: '0.0.0' });
const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${marker}</title></head>
<body><header><h1>${marker}</h1></header><main><p>Consultations and feedback.</p></main></body>
</html>
`;

const server = createServer((req, res) => {
  if (req.method !== 'GET') {
    res.writeHead(405).end();
  } else if (req.url === '/api/health') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(health);
  } else if (req.url === '/' || req.url === '/privacy') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  } else {
    res.writeHead(404).end();
  }
});

server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
