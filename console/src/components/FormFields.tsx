import { type ComponentChildren, createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { fieldId, settingLabels } from '../settings-fields';

/**
 * Labelled controls for a form whose fields the API names by path in a 400: each finds its own
 * error by its path, shows it under the control and ties it (and its hint) to the control with
 * `aria-describedby`, so a screen reader reads the error with the field.
 */

interface FieldContext {
  /** Starts every control's id, so that two forms on a page never share one. */
  readonly idPrefix: string;
  /** Messages by field path, from {@link messagesByPath}. */
  readonly errors: Readonly<Record<string, string>>;
}

const Fields = createContext<FieldContext>({ idPrefix: 'field', errors: {} });
export const FieldsProvider = Fields.Provider;

interface FieldProps {
  readonly path: string;
  /** Defaults to the path's label in `settingLabels`. */
  readonly label?: string;
  readonly hint?: ComponentChildren;
  /** For a control the page checks itself; the API's error for the path otherwise. */
  readonly error?: string;
}

function useField(props: FieldProps) {
  const { idPrefix, errors } = useContext(Fields);
  const id = fieldId(idPrefix, props.path);
  const error = props.error ?? errors[props.path];
  const describedBy = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    id,
    error,
    label: props.label ?? settingLabels[props.path] ?? props.path,
    control: {
      id,
      'aria-invalid': error ? (true as const) : undefined,
      'aria-describedby': describedBy || undefined,
    },
  };
}

function Messages(props: { id: string; hint?: ComponentChildren; error?: string }) {
  return (
    <>
      {props.hint && (
        <span id={`${props.id}-hint`} class="hint">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={`${props.id}-error`} class="field-error">
          {props.error}
        </span>
      )}
    </>
  );
}

/** The frame of a labelled control: its label above, its hint and error below. */
function Labelled(props: {
  field: ReturnType<typeof useField>;
  hint?: ComponentChildren;
  children: ComponentChildren;
}) {
  const { field } = props;
  return (
    <div class="field">
      <label for={field.id}>{field.label}</label>
      {props.children}
      <Messages id={field.id} hint={props.hint} error={field.error} />
    </div>
  );
}

export function TextField(
  props: FieldProps & {
    value: string;
    onValue: (value: string) => void;
    type?: 'text' | 'email' | 'url' | 'time';
    list?: string;
    dir?: 'auto';
    autoComplete?: string;
  },
) {
  const field = useField(props);
  return (
    <Labelled field={field} hint={props.hint}>
      <input
        {...field.control}
        type={props.type ?? 'text'}
        value={props.value}
        onInput={(event) => props.onValue(event.currentTarget.value)}
        list={props.list}
        dir={props.dir}
        autoComplete={props.autoComplete ?? 'off'}
      />
    </Labelled>
  );
}

export function TextAreaField(
  props: FieldProps & { value: string; onValue: (value: string) => void; rows?: number },
) {
  const field = useField(props);
  return (
    <Labelled field={field} hint={props.hint}>
      <textarea
        {...field.control}
        value={props.value}
        onInput={(event) => props.onValue(event.currentTarget.value)}
        rows={props.rows ?? 8}
        dir="auto"
      />
    </Labelled>
  );
}

/** A whole number, or null when emptied (the API then says what it needs). */
export function NumberField(
  props: FieldProps & {
    value: number | null;
    onValue: (value: number | null) => void;
    min: number;
    max: number;
  },
) {
  const field = useField(props);
  return (
    <Labelled field={field} hint={props.hint}>
      <input
        {...field.control}
        type="number"
        inputMode="numeric"
        min={props.min}
        max={props.max}
        step={1}
        value={props.value ?? ''}
        onInput={(event) => {
          const text = event.currentTarget.value;
          props.onValue(text === '' ? null : Number(text));
        }}
      />
    </Labelled>
  );
}

export function SelectField(
  props: FieldProps & {
    value: string;
    onValue: (value: string) => void;
    options: readonly { readonly value: string; readonly label: string }[];
  },
) {
  const field = useField(props);
  return (
    <Labelled field={field} hint={props.hint}>
      <select
        {...field.control}
        value={props.value}
        onChange={(event) => props.onValue(event.currentTarget.value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Labelled>
  );
}

export function CheckboxField(props: FieldProps & { checked: boolean; onValue: (checked: boolean) => void }) {
  const field = useField(props);
  return (
    <div class="field field-checkbox">
      <input
        {...field.control}
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onValue(event.currentTarget.checked)}
      />
      <label for={field.id}>{field.label}</label>
      <Messages id={field.id} hint={props.hint} error={field.error} />
    </div>
  );
}

/** Several checkboxes for one list-valued field: a fieldset, its error on the group. */
export function CheckboxGroup<Value extends string>(
  props: FieldProps & {
    values: readonly Value[];
    onValues: (values: Value[]) => void;
    options: readonly { readonly value: Value; readonly label: string }[];
  },
) {
  const field = useField(props);
  const chosen = new Set(props.values);
  return (
    <fieldset class="field checkbox-group" id={field.id} aria-describedby={field.control['aria-describedby']}>
      <legend>{field.label}</legend>
      <div class="checkbox-row">
        {props.options.map((option) => (
          <label key={option.value} class="chip">
            <input
              type="checkbox"
              checked={chosen.has(option.value)}
              aria-invalid={field.error ? true : undefined}
              onChange={(event) =>
                // Kept in the options' order, whatever the order of the clicks.
                props.onValues(
                  props.options
                    .map(({ value }) => value)
                    .filter((value) =>
                      value === option.value ? event.currentTarget.checked : chosen.has(value),
                    ),
                )
              }
            />
            {option.label}
          </label>
        ))}
      </div>
      <Messages id={field.id} hint={props.hint} error={field.error} />
    </fieldset>
  );
}
