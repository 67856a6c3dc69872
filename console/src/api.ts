import type { ConsoleConfig } from '../../infra/console-config';
import type { Session } from './auth';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** An API answer other than 2xx, from its problem+json body (RFC 9457). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
  }

  /** The message for one field, e.g. `parents_email`. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((error) => error.path === field)?.message;
  }
}

/** The API, called with the signed-in staff member's ID token; `onUnauthorized` runs on a 401. */
export class Api {
  constructor(
    private readonly config: ConsoleConfig,
    private readonly session: Session,
    private readonly onUnauthorized: () => void,
  ) {}

  get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const search = new URLSearchParams(
      Object.entries(query).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
      ),
    ).toString();
    return this.call<T>('GET', search ? `${path}?${search}` : path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body);
  }

  delete(path: string): Promise<void> {
    return this.call<void>('DELETE', path);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.config.api_url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.session.idToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
    }
    if (response.status === 401) {
      this.onUnauthorized();
      throw new ApiError(401, 'Your session has ended. Sign in again.');
    }
    if (response.status === 204) return undefined as T;
    const answer = await response.json().catch(() => undefined);
    if (!response.ok) {
      const problem = (answer ?? {}) as { title?: string; detail?: string; errors?: FieldError[] };
      const retry = response.headers.get('retry-after');
      const message =
        problem.detail || problem.title || `The request failed (${response.status} ${response.statusText})`;
      throw new ApiError(
        response.status,
        retry ? `${message} Try again in ${retry} s.` : message,
        problem.errors ?? [],
      );
    }
    return answer as T;
  }
}
