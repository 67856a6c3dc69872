import { SegmentedMessage } from 'sms-segments-calculator';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/**
 * How carriers split a text: GSM-7 when every character is in its alphabet (160 characters, or
 * 153 a part once a message needs more than one), else UCS-2 (70, or 67 a part). Each part is
 * billed as one SMS. Counted by Twilio's segment calculator, which also knows the characters that
 * take two GSM-7 places (`€`, `[`, `{`…) and never splits one across parts.
 */
export function smsParts(text: string): { parts: number; encoding: SmsEncoding } {
  const message = new SegmentedMessage(text, 'auto');
  return { parts: message.segmentsCount, encoding: message.encodingName };
}
