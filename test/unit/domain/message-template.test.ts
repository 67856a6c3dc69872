import { describe, expect, it } from 'vitest';
import { CREDENTIAL_PLACEHOLDERS, placeholderProblems } from '../../../shared/domain/message-template';

describe('placeholderProblems', () => {
  it('finds nothing wrong with known placeholders', () => {
    expect(
      placeholderProblems('{{parent_name}}, {{children}} at {{school_name}}: {{portal_url}}', {
        required: [],
      }),
    ).toEqual([]);
  });

  it('names each unknown placeholder once, whitespace and case included', () => {
    expect(placeholderProblems('{{ username }} {{Username}} {{Username}}')).toEqual([
      expect.stringMatching(/^Unknown placeholder \{\{ username \}\}; the placeholders are/),
      expect.stringMatching(/^Unknown placeholder \{\{Username\}\}; /),
    ]);
  });

  it('finds an unclosed placeholder', () => {
    expect(placeholderProblems('Hello {{parent_name')).toEqual([
      'Has an unclosed placeholder; write placeholders as {{name}}, e.g. {{parent_name}}',
    ]);
    expect(placeholderProblems('Hello parent_name}}')).toHaveLength(1);
  });

  it('asks for the required placeholders and refuses the forbidden ones, with the reason', () => {
    expect(placeholderProblems('{{username}}', { required: CREDENTIAL_PLACEHOLDERS })).toEqual([
      'Must contain {{temporary_password}}',
    ]);
    expect(
      placeholderProblems('Your password: {{temporary_password}}', {
        forbidden: { placeholders: CREDENTIAL_PLACEHOLDERS, reason: 'it shows in previews' },
      }),
    ).toEqual(['Must not contain {{temporary_password}}: it shows in previews']);
  });
});
