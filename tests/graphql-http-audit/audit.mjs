// Runs every graphql-http server audit (the GraphQL-over-HTTP spec's MUST,
// SHOULD and MAY items) against a running server and prints one line per audit.
//
//   node tests/graphql-http-audit/audit.mjs http://127.0.0.1:8080/graphql
//
// Exit status: 0 when every MUST and SHOULD holds (an unmet MAY is only
// printed), 1 when any MUST or SHOULD fails, 2 on a usage error or when an
// audit could not run at all (server unreachable, a request timed out).
// tests/http_audit.rs runs this against the test server.

import { serverAudits } from 'graphql-http';

/** One request may take this long before the audit counts as broken (a hung server). */
const REQUEST_TIMEOUT_MS = 30_000;

const url = process.argv[2];
if (!url || !/^https?:\/\//.test(url)) {
  console.error('usage: node audit.mjs <GraphQL endpoint URL, e.g. http://127.0.0.1:8080/graphql>');
  process.exit(2);
}

/** fetch with a timeout, so a server that never answers fails the run instead of hanging it. */
function fetchWithTimeout(input, init = {}) {
  return fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
}

/** The requirement level an audit name starts with: MUST, SHOULD or MAY. */
function level(name) {
  return name.split(' ')[0];
}

/** What a failing audit's response was: status, content type and (when still unread) body. */
async function describe(response) {
  if (!response) return '';
  let body = '';
  try {
    body = await response.clone().text();
  } catch {
    body = '<body already read by the audit>';
  }
  if (body.length > 300) body = `${body.slice(0, 300)}...`;
  const type = response.headers.get('content-type') ?? '<no content-type>';
  return `HTTP ${response.status} (${type}) ${body}`;
}

const counts = { ok: 0, failedMust: 0, failedShould: 0, unmetMay: 0, broken: 0 };

// One at a time, in the library's order, so the output reads the same on every run.
for (const audit of serverAudits({ url, fetchFn: fetchWithTimeout })) {
  let result;
  try {
    result = await audit.fn();
  } catch (err) {
    counts.broken += 1;
    const cause = err?.cause ? ` (${err.cause.message ?? err.cause})` : '';
    console.log(`BROKEN ${audit.id} ${audit.name}\n       could not run: ${err?.message ?? err}${cause}`);
    continue;
  }
  if (result.status === 'ok') {
    counts.ok += 1;
    console.log(`ok     ${result.id} ${result.name}`);
    continue;
  }
  const lvl = level(result.name);
  if (lvl === 'MUST') counts.failedMust += 1;
  else if (lvl === 'SHOULD') counts.failedShould += 1;
  else counts.unmetMay += 1;
  console.log(`${result.status.padEnd(6)} ${result.id} ${result.name}`);
  console.log(`       reason: ${result.reason}`);
  const seen = await describe(result.response);
  if (seen) console.log(`       response: ${seen}`);
}

console.log(
  `\ngraphql-http audit of ${url}: ${counts.ok} ok, ${counts.failedMust} MUST failed, ` +
    `${counts.failedShould} SHOULD failed, ${counts.unmetMay} MAY not met, ${counts.broken} could not run`,
);
if (counts.broken > 0) process.exit(2);
process.exit(counts.failedMust + counts.failedShould > 0 ? 1 : 0);
