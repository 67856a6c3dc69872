export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** GSM 03.38's default alphabet in its own order, as Unicode: one septet each (its escape aside). */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Its extension table: two septets each, the escape and the character. */
const GSM_EXTENDED = new Set('\f^{}\\[~]|€');

/** 140 octets a part. */
const PART_BITS = 1120;
/** The concatenation header every part of a longer message carries (6 octets, as Twilio counts). */
const HEADER_BITS = 48;

/**
 * Node.js's own ICU: the Unicode grapheme rules of its version, with no library to bundle. Built
 * at the first count, not at import: loading the segmentation rules takes about 9 ms, which every
 * cold start of a function bundling this module paid whether or not it counted a message.
 */
let graphemes: Intl.Segmenter | undefined;

/**
 * The characters a message is cut between: its grapheme clusters (an emoji with its modifiers and
 * joiners, a letter with its combining marks stay whole), except CR LF, which are two GSM-7
 * characters.
 */
function charactersOf(text: string): string[] {
  const characters: string[] = [];
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  for (const { segment } of graphemes.segment(text)) {
    if (segment === '\r\n') characters.push('\r', '\n');
    else characters.push(segment);
  }
  return characters;
}

const isGsm = (character: string) => GSM_BASIC.has(character) || GSM_EXTENDED.has(character);

function bitsOf(character: string, encoding: SmsEncoding): number {
  if (encoding === 'UCS-2') return 16 * character.length;
  return GSM_EXTENDED.has(character) ? 14 : 7;
}

/**
 * How carriers split a text: GSM-7 when every character is in its alphabet (160 characters, or
 * 153 a part once a message needs more than one; `€`, `[`, `{`… take two places), else UCS-2 (70
 * UTF-16 units, or 67 a part). Each part is billed as one SMS. Counted as Twilio's segment
 * calculator counts: parts are filled in order, and no character (a grapheme, or a GSM-7 escape
 * pair) is split across two.
 */
export function smsParts(text: string): { parts: number; encoding: SmsEncoding } {
  const characters = charactersOf(text);
  const encoding: SmsEncoding = characters.every(isGsm) ? 'GSM-7' : 'UCS-2';
  const sizes = characters.map((character) => bitsOf(character, encoding));
  if (sizes.reduce((total, size) => total + size, 0) <= PART_BITS) return { parts: 1, encoding };
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > PART_BITS - HEADER_BITS) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return { parts, encoding };
}
