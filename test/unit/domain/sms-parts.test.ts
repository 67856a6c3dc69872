import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { smsParts } from '../../../shared/domain/sms-parts';

/** GSM 03.38's default alphabet (one septet each) and its extension table (two septets each). */
const gsmBasic = [
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
];
const gsmExtended = [...'\f^{}\\[~]|€'];

/** Parts when units of `sizes` fill parts of `capacity` in order, none split across two. */
function packed(sizes: readonly number[], single: number, capacity: number): number {
  if (sizes.reduce((total, size) => total + size, 0) <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > capacity) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return parts;
}

describe('SMS parts', () => {
  // Twilio's segment calculator gives these; so did a counter on Intl.Segmenter (see the git log).
  it.each([
    ['', 1, 'GSM-7'],
    ['a'.repeat(160), 1, 'GSM-7'],
    ['a'.repeat(161), 2, 'GSM-7'],
    ['a'.repeat(306), 2, 'GSM-7'],
    ['a'.repeat(307), 3, 'GSM-7'],
    ['€'.repeat(80), 1, 'GSM-7'],
    ['€'.repeat(81), 2, 'GSM-7'],
    // 152 places then an escape pair: the pair does not straddle the first part.
    [`${'a'.repeat(152)}€${'a'.repeat(10)}`, 2, 'GSM-7'],
    ['\r\n'.repeat(80), 1, 'GSM-7'],
    ['\r\n'.repeat(81), 2, 'GSM-7'],
    ['ó'.repeat(70), 1, 'UCS-2'],
    ['ó'.repeat(71), 2, 'UCS-2'],
    ['ó'.repeat(134), 2, 'UCS-2'],
    ['ó'.repeat(135), 3, 'UCS-2'],
    ['😀'.repeat(35), 1, 'UCS-2'],
    ['😀'.repeat(36), 2, 'UCS-2'],
    // 66 units, then a family of 11: it goes to the second part whole.
    [`${'ó'.repeat(66)}👨‍👩‍👧‍👦${'ó'.repeat(60)}`, 3, 'UCS-2'],
    // Skin tones, flags, keycaps and combining marks stay with their base: 133 units, cut at any
    // unit, would fill two parts.
    [`${'ó'.repeat(65)}👍🏿${'ó'.repeat(64)}`, 3, 'UCS-2'],
    [`${'ó'.repeat(65)}🇺🇸${'ó'.repeat(64)}`, 3, 'UCS-2'],
    [`${'ó'.repeat(66)}1️⃣${'ó'.repeat(65)}`, 3, 'UCS-2'],
    [`${'a'.repeat(66)}e\u0301${'a'.repeat(66)}`, 3, 'UCS-2'],
    ['Hola, ¿cómo está? Contraseña: Xy7!kL2q', 1, 'UCS-2'],
    ['Hej Åsa, lösenordet är klart: Xy7!kL2q', 1, 'GSM-7'],
    ['مرحبا كريم، كلمة المرور المؤقتة الخاصة بك هي', 1, 'UCS-2'],
  ] as const)('%j: %i part(s), %s', (text, parts, encoding) => {
    expect(smsParts(text)).toEqual({ parts, encoding });
  });

  it('fill 153 septets a part with GSM-7 text, never splitting an escape pair', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...gsmBasic, ...gsmExtended), { maxLength: 800, size: 'max' }),
        (characters) => {
          const septets = characters.map((character) => (gsmExtended.includes(character) ? 2 : 1));
          expect(smsParts(characters.join(''))).toEqual({
            parts: packed(septets, 160, 153),
            encoding: 'GSM-7',
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fill 67 UTF-16 units a part with any other text, never splitting a grapheme', () => {
    const graphemes = [
      'ó',
      'Ж',
      'م',
      '家',
      '😀',
      '👍🏽',
      '👨‍👩‍👧‍👦',
      '🇺🇸',
      '1️⃣',
      'e\u0301',
      '한',
      'a',
      ' ',
      '€',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...graphemes), { minLength: 1, maxLength: 300, size: 'max' }),
        fc.constantFrom('ó', '😀', '👨‍👩‍👧‍👦'),
        (characters, nonGsm) => {
          const text = [nonGsm, ...characters];
          expect(smsParts(text.join(''))).toEqual({
            parts: packed(
              text.map((grapheme) => grapheme.length),
              70,
              67,
            ),
            encoding: 'UCS-2',
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
