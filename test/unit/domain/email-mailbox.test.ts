import { describe, expect, it } from 'vitest';
import { mailbox } from '../../../shared/domain/email-mailbox';

const decoded = (words: string) =>
  [...words.matchAll(/=\?UTF-8\?B\?([^?]+)\?=/g)]
    .map((match) => Buffer.from(match[1] ?? '', 'base64').toString('utf8'))
    .join('');

describe('mailbox', () => {
  it('quotes an ASCII display name, escaping quotes and backslashes', () => {
    expect(mailbox('Hillside School', 'no-reply@example.com')).toBe(
      '"Hillside School" <no-reply@example.com>',
    );
    expect(mailbox('A "B" \\ C, <D>', 'x@example.com')).toBe('"A \\"B\\" \\\\ C, <D>" <x@example.com>');
  });

  it('leaves the bare address when there is no name', () => {
    expect(mailbox('  ', 'no-reply@example.com')).toBe('no-reply@example.com');
  });

  it('writes other names as encoded words of at most 75 characters, never cutting a character', () => {
    const name = 'Escuela Primaria Niños Héroes de Chapultepec 🏫 — Secretaría Académica del Turno Matutino';
    const written = mailbox(name, 'no-reply@example.com');
    const words = written.replace(/ <no-reply@example\.com>$/, '').split(' ');
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) {
      expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
      expect(word.length).toBeLessThanOrEqual(75);
      expect(Buffer.from(word.slice(10, -2), 'base64').toString('utf8')).not.toContain('\uFFFD');
    }
    expect(decoded(written)).toBe(name);
  });
});
