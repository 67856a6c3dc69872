import type * as z from 'zod/mini';

/** One offending field, named by its path in the request (`first_name`, `cursor`, `body`). */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/**
 * An error the client caused or may see, rendered as RFC 9457 problem+json. Anything else that
 * reaches the error handler is a fault of ours and is rendered as an opaque 500.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }

  get type(): string {
    return `https://problems.parent-management.dev/${this.title.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-')}`;
  }

  toJSON() {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      errors: this.errors,
    };
  }
}

export const badRequest = (detail: string, errors: FieldError[]) =>
  new HttpProblem(400, 'Invalid request', detail, errors);

export const notFound = (what: string) => new HttpProblem(404, 'Not found', `${what} does not exist`);

/**
 * Names each offending field; unknown fields get one error each so clients can point at them. A
 * value that breaks one rule twice (a URL of the wrong scheme and host) is named once.
 */
export function fieldErrorsFrom(error: z.core.$ZodError, prefix?: string): FieldError[] {
  const errors = error.issues.flatMap((issue): FieldError[] => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [path, key].filter(Boolean).join('.'),
        message: 'Unknown field',
      }));
    }
    // A name a map refuses (a template language): the path names it, the message says why.
    if (issue.code === 'invalid_key') {
      return issue.issues.map((inner) => ({ path: path || 'body', message: inner.message }));
    }
    return [{ path: path || 'body', message: issue.message }];
  });
  const seen = new Set<string>();
  return errors.filter((each) => {
    const key = JSON.stringify([each.path, each.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
