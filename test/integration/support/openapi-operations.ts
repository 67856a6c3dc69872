import type { JsonSchema, RefResolver } from './documented-schema';

/** One documented operation, with what a request to it may carry. */
export interface ApiOperation {
  /** `GET /students/{id}`, the API Gateway route key. */
  readonly route: string;
  readonly method: string;
  readonly template: string;
  readonly pathParameters: readonly { readonly name: string; readonly schema: JsonSchema }[];
  readonly queryParameters: readonly { readonly name: string; readonly schema: JsonSchema }[];
  /** The JSON request body's component name and schema; absent when the operation takes none. */
  readonly body?: { readonly component: string; readonly schema: JsonSchema };
}

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly schema: JsonSchema;
}

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components: { readonly schemas: Record<string, JsonSchema> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

export function refResolver(document: OpenApiDocument): RefResolver {
  return (ref) => {
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    const schema = name === undefined ? undefined : document.components.schemas[name];
    if (!schema) throw new Error(`Unresolvable $ref ${ref}`);
    return schema;
  };
}

/** Every operation of an OpenAPI 3.1 document, path-level parameters merged into each. */
export function operationsOf(document: OpenApiDocument): ApiOperation[] {
  const resolve = refResolver(document);
  return Object.entries(document.paths).flatMap(([template, item]) => {
    const shared = (item.parameters ?? []) as Parameter[];
    return Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]): ApiOperation => {
        const { parameters = [], requestBody } = operation as {
          parameters?: Parameter[];
          requestBody?: { content: Record<string, { schema: JsonSchema }> };
        };
        const all = [...shared, ...parameters];
        const bodySchema = requestBody?.content['application/json']?.schema;
        const component = bodySchema?.$ref?.split('/').at(-1);
        return {
          route: `${method.toUpperCase()} ${template}`,
          method: method.toUpperCase(),
          template,
          pathParameters: all.filter((parameter) => parameter.in === 'path'),
          queryParameters: all.filter((parameter) => parameter.in === 'query'),
          ...(bodySchema && component ? { body: { component, schema: resolve(bodySchema.$ref ?? '') } } : {}),
        };
      });
  });
}

/**
 * The documented route a request path reaches, matched as API Gateway does: by raw `/`-separated
 * segments, literals compared after percent-decoding, `{name}` taking any non-empty segment.
 */
export function routeReached(
  operations: readonly ApiOperation[],
  method: string,
  rawPath: string,
): ApiOperation | undefined {
  const parts = rawPath.replace(/^\//, '').split('/');
  const decoded = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const matches = operations.filter((operation) => {
    if (operation.method !== method) return false;
    const segments = operation.template.replace(/^\//, '').split('/');
    return (
      segments.length === parts.length &&
      segments.every((segment, index) => {
        const part = parts[index] ?? '';
        return /^\{.+\}$/.test(segment) ? part !== '' : decoded(part) === segment;
      })
    );
  });
  // Literal segments win over parameters, as in API Gateway.
  const literals = (operation: ApiOperation) =>
    operation.template.split('/').filter((s) => !s.startsWith('{')).length;
  return matches.sort((a, b) => literals(b) - literals(a))[0];
}
