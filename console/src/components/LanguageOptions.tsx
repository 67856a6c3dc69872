import { BUILT_IN_LANGUAGES } from '../../../shared/domain/built-in-templates';
import { languageName } from '../format';

/**
 * Suggestions for a language input (`list={id}`): the languages with built-in invite wording.
 * Any other BCP 47 tag can still be typed.
 */
export function LanguageOptions(props: { id: string }) {
  return (
    <datalist id={props.id}>
      {BUILT_IN_LANGUAGES.map((tag) => (
        <option key={tag} value={tag}>
          {languageName(tag)}
        </option>
      ))}
    </datalist>
  );
}
