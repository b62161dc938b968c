import { loadPlatformConfig, platformAddress } from '@loupe/platform';

/** How long a command waits for the platform's answer: a hung platform must not hang the terminal. */
const ANSWER_TIMEOUT_MS = 30_000;

/** The running platform's address: LOUPE_URL, or the local one from the platform's own settings. */
export function platformUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LOUPE_URL) {
    let protocol: string | undefined;
    try {
      protocol = new URL(env.LOUPE_URL).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`LOUPE_URL="${env.LOUPE_URL}" is not an http:// or https:// address: set it to the platform's, e.g. http://127.0.0.1:9280`);
    return env.LOUPE_URL.replace(/\/+$/, '');
  }
  return platformAddress(loadPlatformConfig(env));
}

/** Why fetch failed, in a word when there is one (ECONNREFUSED, ENOTFOUND, a timeout). */
function reasonOf(error: Error & { cause?: { code?: string; message?: string } }): string {
  return error.cause?.code ?? error.cause?.message ?? error.message;
}

/** The error a failed fetch of the platform becomes: not running, or not answering. */
function unreachable(base: string, error: unknown): Error {
  if ((error as Error).name === 'TimeoutError') return new Error(`the Loupe platform at ${base} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s: it may be overloaded or stuck; check its logs, or narrow the search with --from`);
  return new Error(`cannot reach the Loupe platform at ${base} (${reasonOf(error as Parameters<typeof reasonOf>[0])}); start it with \`loupe run platform\` or set LOUPE_URL`);
}

/**
 * GET a platform API path whose answer holds the list `lists` names (`events`, `indices` …);
 * a clear message when the platform is not running, answers an error, or something else
 * answers in its place.
 */
export async function getJson<T>(path: string, lists: string, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const base = platformUrl(env);
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    text = await response.text();
  } catch (error) {
    throw unreachable(base, error);
  }
  const body = answerBody<Record<string, unknown>>(base, path, response, text);
  const list = body !== null && typeof body === 'object' ? body[lists] : undefined;
  if (!Array.isArray(list) || !list.every((item) => item !== null && typeof item === 'object')) {
    throw new Error(`${base} answered ${path.split('?', 1)[0]} with JSON that is not the Loupe platform's (no list of "${lists}"): is LOUPE_URL the platform's address?`);
  }
  return body as T;
}

/**
 * GET a platform path that answers a stream (server-sent events): the response once its
 * headers arrive, the stream left open; an error answer becomes a clear message as in `getJson`.
 */
export async function openStream(path: string, env: NodeJS.ProcessEnv = process.env): Promise<Response> {
  const base = platformUrl(env);
  const connecting = new AbortController();
  const timer = setTimeout(() => connecting.abort(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), ANSWER_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { signal: connecting.signal });
  } catch (error) {
    throw unreachable(base, error);
  } finally {
    clearTimeout(timer);
  }
  // An error answer throws with its code and message.
  if (!response.ok) answerBody(base, path, response, await response.text());
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    await response.body?.cancel();
    throw new Error(`${base} answered ${path.split('?', 1)[0]} with something that is not the Loupe platform's event stream: is LOUPE_URL the platform's address?`);
  }
  return response;
}

/** A platform answer's JSON body, or the error it reports. */
function answerBody<T>(base: string, path: string, response: Response, text: string): T {
  let body: T & { error?: { code: string; message: string } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`${base} answered HTTP ${response.status} with something that is not the Loupe platform's JSON: is LOUPE_URL the platform's address?`);
  }
  if (!response.ok) throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status} from ${base}${path}`);
  return body;
}
