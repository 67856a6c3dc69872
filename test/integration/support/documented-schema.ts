/**
 * Whether a value breaks the JSON Schema the API documents, for the subset of keywords its
 * OpenAPI document uses. A test uses it to keep only values that are wrong by the contract itself,
 * never merely wrong by today's implementation.
 */

export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
}

/** `#/components/schemas/X` → the schema X. */
export type RefResolver = (ref: string) => JsonSchema;

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  return jsonTypeOf(value) === type;
}

/** JSON Schema counts characters as code points. */
const lengthOf = (text: string) => [...text].length;

export function violates(schema: JsonSchema, value: unknown, resolve: RefResolver): boolean {
  if (schema.$ref) return violates(resolve(schema.$ref), value, resolve);
  if (schema.anyOf) return schema.anyOf.every((alternative) => violates(alternative, value, resolve));
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((type) => hasType(value, type))) return true;
  }
  if (schema.enum && !schema.enum.includes(value)) return true;
  if ('const' in schema && schema.const !== value) return true;
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && lengthOf(value) < schema.minLength) return true;
    if (schema.maxLength !== undefined && lengthOf(value) > schema.maxLength) return true;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return true;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return true;
    if (schema.minimum !== undefined && value < schema.minimum) return true;
    if (schema.maximum !== undefined && value > schema.maximum) return true;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return true;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return true;
    if (schema.items && value.some((item) => violates(schema.items as JsonSchema, item, resolve)))
      return true;
  }
  if (jsonTypeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = schema.properties ?? {};
    if (schema.required?.some((name) => !Object.hasOwn(object, name))) return true;
    for (const [name, item] of Object.entries(object)) {
      const property = properties[name];
      if (property === undefined) {
        if (schema.additionalProperties === false) return true;
      } else if (violates(property, item, resolve)) {
        return true;
      }
    }
  }
  return false;
}
