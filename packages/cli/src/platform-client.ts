import { loadPlatformConfig } from '@loupe/platform';

/** The running platform's address: LOUPE_URL, or the local one from the platform's own settings. */
export function platformUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LOUPE_URL) return env.LOUPE_URL.replace(/\/+$/, '');
  const config = loadPlatformConfig(env);
  return `http://${config.host}:${config.port}`;
}

/** GET a platform API path; a clear message when the platform is not running or answers an error. */
export async function getJson<T>(path: string, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const url = `${platformUrl(env)}${path}`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`cannot reach the Loupe platform at ${platformUrl(env)} (${(error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message}); start it with \`loupe run platform\` or set LOUPE_URL`);
  }
  const body = (await response.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
  if (!response.ok) throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status} from ${url}`);
  return body;
}
