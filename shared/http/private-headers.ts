/**
 * Headers on every response, errors included. Responses hold names, emails and phone numbers:
 * no browser or proxy may keep them, and no browser may read them as anything but what they say.
 * A module of its own so that a handler without the middy stack (the OpenAPI document's) sends
 * the same headers without bundling that stack.
 */
export const PRIVATE_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};
