export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  /** A JSON body. */
  json?: unknown;
  /** A body sent as is (a model file, or deliberately broken JSON). */
  raw?: Uint8Array | string;
  contentType?: string;
  /** A multipart body. */
  form?: FormData;
  headers?: Record<string, string>;
  /** Per call (default 30 s). */
  timeoutMs?: number;
}

/** The error body every workshop API answers with, for typing `ApiResponse<ApiError>`. */
export interface ApiError {
  error: { code: string; message: string };
}

/**
 * A client of one workshop API, as a browser or a mobile app would use it: JSON in and out,
 * a bearer token after logging in. Never throws for an HTTP status; the caller decides.
 */
export class ApiClient {
  token: string | undefined;

  constructor(readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | Uint8Array | FormData | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.raw !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
      body = options.raw;
    } else if (options.form) {
      body = options.form;
    }
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    const text = await response.text();
    const parsed = text && response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as T) : (text as unknown as T);
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** Logs in and keeps the token on success. */
  async login(login: string, password: string): Promise<ApiResponse<{ token: string; userId: string } & Partial<ApiError>>> {
    const response = await this.call<{ token: string; userId: string } & Partial<ApiError>>('POST', '/auth/login', { json: { login, password } });
    if (response.status === 200) this.token = response.body.token;
    return response;
  }
}

/** A model file as a browser form sends it: field `file`. */
export function modelForm(bytes: Uint8Array | string, filename = 'model.stl'): FormData {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  return form;
}
