// Roster's benchmark peer for issue 15: Ory Polis's SCIM 2.0 endpoint, measured side by side with Roster's
// (src/bench/java/dev/roster/bench/PolisScenario.java starts it; docs/benchmarks.md, "Side by side with Ory Polis").
//
// This is a STAND-IN for Polis, not Polis itself. Polis (formerly BoxyHQ SAML Jackson) is a Next.js application
// around the npm library @boxyhq/saml-jackson; its SCIM endpoint is the API route
// pages/api/scim/v2.0/[...directory].ts, which hands every request to the library's directory sync
// (directorySyncController.requests.handle) and answers with the status and data the library returns, as JSON.
// This file does the same with the same library, configured as Polis is by default for PostgreSQL (lib/env.ts:
// engine sql, type postgres, the library's own defaults for everything else, no webhooks), in one Node process as
// Polis runs, but in a plain node:http server: no Next.js routing, page compilation or middleware. It is therefore at
// least as fast as Polis itself, and a ratio of Roster's throughput against it is conservative for Roster.
//
// Environment: DB_URL (postgres://user:password@host:port/database, required), PORT (default 5225), HOST_URL
// (default 127.0.0.1), EXIT_WITH_STDIN=1 (stop when stdin ends, so the server never outlives the harness). At start it creates one directory of type Entra ID (azure-scim-v2) through the library and
// prints one JSON line on stdout: {"ready":true,"pid":...,"port":...,"directoryId":"...","secret":"...","path":"..."}.
// Anonymous analytics are off (Polis's DO_NOT_TRACK=1), so nothing leaves the machine.
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const library = require('@boxyhq/saml-jackson');
const jackson = library.default || library.controllers;

const dbUrl = process.env.DB_URL;
if (!dbUrl) {
  console.error('DB_URL is required (postgres://user:password@host:port/database)');
  process.exit(2);
}
const host = process.env.HOST_URL || '127.0.0.1';
const port = Number(process.env.PORT || '5225');
const externalUrl = 'http://' + host + ':' + port;
const scimPath = '/api/scim/v2.0'; // the library's default, and Polis's route
const maxBody = 1024 * 1024; // Next.js API routes' default body size limit (1mb)

// Polis's lib/env.ts with no environment set but the database: the paths it always sets, the engine, and
// everything else left to the library's defaults (defaultOpts, defaultDb).
const { directorySyncController } = await jackson({
  externalUrl,
  samlPath: '/api/oauth/saml',
  oidcPath: '/api/oauth/oidc',
  idpDiscoveryPath: '/idp/select',
  db: { engine: 'sql', type: 'postgres', url: dbUrl },
  noAnalytics: true,
  webhook: { endpoint: '', secret: '' },
  dsync: {
    providers: {
      google: {
        clientId: '',
        clientSecret: '',
        authorizePath: '/api/scim/oauth/authorize',
        callbackPath: '/api/scim/oauth/callback',
      },
    },
  },
});

// Polis's lib/utils.ts bodyParser: Next.js has already parsed application/json; any other type (SCIM's
// application/scim+json) arrives as a string, which is parsed when it is a JSON object.
function parseBody(text, contentType) {
  if (text.length === 0) {
    return contentType && contentType.startsWith('application/json') ? {} : '';
  }
  try {
    const json = JSON.parse(text);
    return typeof json === 'object' ? json : text;
  } catch {
    return text;
  }
}

// Polis's lib/auth.ts extractAuthToken: the second word of the Authorization header.
function bearer(req) {
  const parts = (req.headers.authorization || '').split(' ');
  return parts.length > 1 ? parts[1] : null;
}

function send(res, status, data) {
  // Next.js's res.status(status).json(data)
  const body = JSON.stringify(data);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function handle(req, res, text) {
  const url = new URL(req.url, externalUrl);
  if (!url.pathname.startsWith(scimPath + '/')) {
    return send(res, 404, { error: { message: 'Not Found' } });
  }
  const [directoryId, resourceType, resourceId] = url.pathname
    .substring(scimPath.length + 1)
    .split('/')
    .map(decodeURIComponent);
  const query = url.searchParams;
  const request = {
    method: req.method,
    directoryId,
    resourceType: resourceType || '',
    resourceId,
    apiSecret: bearer(req),
    body: parseBody(text, req.headers['content-type']),
    query: {
      count: query.get('count') ? parseInt(query.get('count'), 10) : undefined,
      startIndex: query.get('startIndex') ? parseInt(query.get('startIndex'), 10) : undefined,
      filter: query.get('filter') || undefined,
    },
  };
  // No callback: the library's own (internal) event callback, as Polis's route passes none.
  const { status, data } = await directorySyncController.requests.handle(request);
  send(res, status, data);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= maxBody) {
      chunks.push(chunk);
    }
  });
  req.on('end', () => {
    if (size > maxBody) {
      return send(res, 413, { error: { message: 'Body exceeded 1mb limit' } });
    }
    handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err) => {
      console.error(err);
      if (!res.headersSent) {
        send(res, 500, { error: { message: 'Internal Server Error' } });
      }
    });
  });
});

const { data: directory, error } = await directorySyncController.directories.create({
  name: 'Roster benchmark (Entra ID)',
  tenant: 'roster-bench',
  product: 'roster-bench',
  type: 'azure-scim-v2',
});
if (error) {
  console.error('could not create the directory:', error);
  process.exit(1);
}

server.listen(port, host, () => {
  process.stdout.write(
    JSON.stringify({
      ready: true,
      pid: process.pid,
      port,
      directoryId: directory.id,
      secret: directory.scim.secret,
      path: directory.scim.path,
    }) + '\n'
  );
});

function stop() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.env.EXIT_WITH_STDIN === '1') {
  // The harness keeps a pipe open on stdin: when it ends (the harness exited, even when killed), so does this server.
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
