import type { FieldError } from '../api';
import { settingName } from '../settings-fields';

/**
 * Why a save was refused, every field listed (some may be out of sight, such as a template of
 * another language); each one's button takes the focus to its field.
 */
export function ErrorSummary(props: { errors: readonly FieldError[]; onGoTo: (path: string) => void }) {
  return (
    <div id="settings-errors" class="error-summary" role="alert" tabIndex={-1}>
      <h2>The settings were not saved</h2>
      <p>Nothing was changed. Correct these and save again:</p>
      <ul>
        {props.errors.map((error) => (
          <li key={`${error.path} ${error.message}`}>
            <button type="button" class="link" onClick={() => props.onGoTo(error.path)}>
              {settingName(error.path)}
            </button>
            : {error.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
