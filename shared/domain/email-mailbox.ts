/**
 * A mailbox as RFC 5322 writes it, `"Display Name" <address>`, for a `From` header. A display
 * name in ASCII goes in a quoted string (with `"` and `\` escaped), so that commas, dots and
 * brackets in a school's name cannot be read as addresses; one with other characters goes as
 * RFC 2047 encoded words, which is how SES takes a non-ASCII sender name.
 */
export function mailbox(displayName: string, address: string): string {
  const name = displayName.trim();
  if (name === '') return address;
  return `${isPrintableAscii(name) ? quoted(name) : encodedWords(name)} <${address}>`;
}

function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

function quoted(name: string): string {
  return `"${name.replaceAll(/["\\]/g, (character) => `\\${character}`)}"`;
}

/**
 * An encoded word may be at most 75 characters long (RFC 2047, 2): 45 bytes of UTF-8 make 60 of
 * base64, plus the 12 of `=?UTF-8?B?` and `?=`. Words are cut between characters, never inside one.
 */
const MAX_BYTES_PER_WORD = 45;

function encodedWords(name: string): string {
  const encoder = new TextEncoder();
  const words: string[] = [];
  let current = '';
  for (const character of name) {
    const candidate = current + character;
    if (encoder.encode(candidate).length > MAX_BYTES_PER_WORD && current !== '') {
      words.push(current);
      current = character;
    } else {
      current = candidate;
    }
  }
  if (current !== '') words.push(current);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join(' ');
}
