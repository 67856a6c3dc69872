/**
 * A school's own invite wording: text with `{{placeholder}}`s, filled in for each parent at send
 * time. Only the placeholders below exist; anything else between braces is a typing mistake that
 * would reach parents as it is, so it is refused when the template is saved.
 */
export const PLACEHOLDERS = [
  'parent_name',
  'children',
  'school_name',
  'portal_url',
  'username',
  'temporary_password',
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];

/** An invite that lacks either of these cannot be used to sign in. */
export const CREDENTIAL_PLACEHOLDERS = ['username', 'temporary_password'] as const satisfies Placeholder[];

const PLACEHOLDER = /\{\{(.*?)\}\}/gs;
const known = new Set<string>(PLACEHOLDERS);
const listed = PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ');

export interface PlaceholderRules {
  /** Placeholders the text must contain. */
  readonly required?: readonly Placeholder[];
  /** Placeholders the text must not contain, and why. */
  readonly forbidden?: { readonly placeholders: readonly Placeholder[]; readonly reason: string };
}

/** What is wrong with the placeholders of `text` under `rules`, one message per problem; empty when nothing. */
export function placeholderProblems(text: string, rules: PlaceholderRules = {}): string[] {
  const used = [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
  const problems = [...new Set(used.filter((name) => !known.has(name)))].map(
    (name) => `Unknown placeholder {{${name}}}; the placeholders are ${listed}`,
  );
  const rest = text.replaceAll(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    problems.push(`Has an unclosed placeholder; write placeholders as {{name}}, e.g. {{parent_name}}`);
  }
  for (const name of rules.required ?? []) {
    if (!used.includes(name)) problems.push(`Must contain {{${name}}}`);
  }
  for (const name of rules.forbidden?.placeholders ?? []) {
    if (used.includes(name)) problems.push(`Must not contain {{${name}}}: ${rules.forbidden?.reason}`);
  }
  return problems;
}

/** A template cut into its literal text and its placeholders, in order. */
export type TemplatePiece = { readonly text: string } | { readonly placeholder: Placeholder };

/** Cuts a validated template (every placeholder known) into pieces; see {@link placeholderProblems}. */
export function templatePieces(text: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let from = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > from) pieces.push({ text: text.slice(from, match.index) });
    const name = match[1] ?? '';
    pieces.push(known.has(name) ? { placeholder: name as Placeholder } : { text: match[0] });
    from = match.index + match[0].length;
  }
  if (from < text.length) pieces.push({ text: text.slice(from) });
  return pieces;
}

/** The template with each placeholder replaced by `valueFor(placeholder)`. */
export function fillTemplate(text: string, valueFor: (placeholder: Placeholder) => string): string {
  return templatePieces(text)
    .map((piece) => ('text' in piece ? piece.text : valueFor(piece.placeholder)))
    .join('');
}
