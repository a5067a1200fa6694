// A tiny static file server for the end-to-end tests: serves a folder (dist/) under a URL
// prefix (a sub-path), to prove the app uses relative URLs only. No dependencies.
//
//   node tests/e2e/serve.mjs --root dist --prefix /some/sub/path/ [--port 0] [--host 127.0.0.1]
//
// prints "listening on http://127.0.0.1:PORT/some/sub/path/" once it accepts connections.
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function normalizePrefix(prefix) {
  let p = prefix.startsWith('/') ? prefix : `/${prefix}`;
  if (!p.endsWith('/')) p += '/';
  return p;
}

/** Starts serving `root` under `prefix`; resolves to { url, port, close() }. */
export function startServer({ root, prefix = '/', port = 0, host = '127.0.0.1' }) {
  const base = path.resolve(root);
  const pre = normalizePrefix(prefix);
  const server = http.createServer(async (req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    if (`${pathname}/` === pre) return send(301, '', { location: pre });
    if (!pathname.startsWith(pre)) return send(404, `not found (outside ${pre})\n`);
    let rel = pathname.slice(pre.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(base, rel);
    if (file !== base && !file.startsWith(base + path.sep)) return send(403, 'forbidden\n');
    let info;
    try {
      info = await stat(file);
    } catch {
      return send(404, 'not found\n');
    }
    if (info.isDirectory()) return send(301, '', { location: `${pathname}/` });
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        url: `http://${host}:${actual}${pre}`,
        port: actual,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

function parseArgs(argv) {
  const opts = { root: 'dist', prefix: '/', port: 0, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${key}`);
    if (key === '--root') opts.root = value;
    else if (key === '--prefix') opts.prefix = value;
    else if (key === '--port') opts.port = Number(value);
    else if (key === '--host') opts.host = value;
    else throw new Error(`unknown option ${key}`);
  }
  return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startServer(parseArgs(process.argv.slice(2)));
  console.log(`listening on ${server.url}`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
