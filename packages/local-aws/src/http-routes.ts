/** A route that matched a request. */
export interface RouteMatch<T> {
  readonly routeKey: string;
  readonly target: T;
  /** URL-decoded values of the `{name}` and `{name+}` segments; empty when the route has none. */
  readonly pathParameters: Record<string, string>;
}

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

interface CompiledRoute<T> {
  readonly routeKey: string;
  readonly method: string;
  readonly segments: readonly Segment[];
  readonly target: T;
}

/**
 * Matches requests against API Gateway HTTP API route keys (`GET /students/{id}`,
 * `ANY /files/{path+}`, `$default`) with API Gateway's precedence: the most specific path wins —
 * literal segments over `{param}` over `{greedy+}`, compared left to right — then an exact method
 * over `ANY`, and `$default` only when nothing else matches.
 */
export class RouteTable<T> {
  private readonly routes: CompiledRoute<T>[] = [];
  private fallback: { routeKey: '$default'; target: T } | undefined;

  /** @throws on a malformed or duplicate route key. */
  add(routeKey: string, target: T): void {
    if (routeKey === '$default') {
      if (this.fallback) throw new Error('Duplicate route key $default');
      this.fallback = { routeKey, target };
      return;
    }
    const match = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (\/\S*)$/.exec(routeKey);
    if (!match?.[1] || !match[2]) throw new Error(`Malformed route key: ${routeKey}`);
    if (this.routes.some((route) => route.routeKey === routeKey)) {
      throw new Error(`Duplicate route key ${routeKey}`);
    }
    const segments = splitPath(match[2]).map((part, index, parts): Segment => {
      const param = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(part);
      if (!param?.[1]) return { kind: 'literal', value: part };
      if (param[2] === '+') {
        if (index !== parts.length - 1) throw new Error(`Greedy parameter must come last: ${routeKey}`);
        return { kind: 'greedy', name: param[1] };
      }
      return { kind: 'param', name: param[1] };
    });
    this.routes.push({ routeKey, method: match[1], segments, target });
  }

  /** The route keys in the order they were added. */
  keys(): string[] {
    return [...this.routes.map((route) => route.routeKey), ...(this.fallback ? ['$default'] : [])];
  }

  /** @param rawPath - the path as sent, still percent-encoded. */
  match(method: string, rawPath: string): RouteMatch<T> | undefined {
    const parts = splitPath(rawPath);
    let best: { route: CompiledRoute<T>; rank: number[]; parameters: Record<string, string> } | undefined;
    for (const route of this.routes) {
      if (route.method !== method && route.method !== 'ANY') continue;
      const parameters = matchSegments(route.segments, parts);
      if (!parameters) continue;
      const rank = [...route.segments.map(specificity), route.method === 'ANY' ? 0 : 1];
      if (!best || compareRanks(rank, best.rank) > 0) best = { route, rank, parameters };
    }
    if (best)
      return { routeKey: best.route.routeKey, target: best.route.target, pathParameters: best.parameters };
    if (this.fallback) return { routeKey: '$default', target: this.fallback.target, pathParameters: {} };
    return undefined;
  }
}

function splitPath(path: string): string[] {
  return path === '/' ? [''] : path.replace(/^\//, '').split('/');
}

function matchSegments(segments: readonly Segment[], parts: string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'greedy') {
      const rest = parts.slice(index).join('/');
      if (rest === '') return undefined;
      parameters[segment.name] = decode(rest);
      return parameters;
    }
    if (segment.kind === 'literal') {
      if (decode(part) !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      parameters[segment.name] = decode(part);
    }
  }
  return segments.length === parts.length ? parameters : undefined;
}

function specificity(segment: Segment): number {
  return segment.kind === 'literal' ? 3 : segment.kind === 'param' ? 2 : 1;
}

function compareRanks(a: number[], b: number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** A malformed escape is kept as sent rather than failing the whole request. */
function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
