import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';
import type { SchoolSettings } from '../api-types';

type PhoneFormat = typeof import('../phone-format');

interface School {
  /** `GET /school`, or null until it has loaded (or when it could not be). */
  readonly settings: SchoolSettings | null;
  /** The phone-number helpers, or null while their metadata is still loading. */
  readonly phone: PhoneFormat | null;
  /** After the Settings page loaded or saved the document, so the rest of the console follows it. */
  readonly settingsChanged: (settings: SchoolSettings) => void;
}

const SchoolContext = createContext<School>({
  settings: null,
  phone: null,
  settingsChanged: () => undefined,
});

/**
 * What the console knows of the signed-in admin's school: its settings (the country, for phone
 * numbers) and the phone-number helpers. Those carry libphonenumber's metadata, about twice the
 * rest of the console, so they load as a chunk of their own after sign-in, not with the sign-in page.
 */
export function SchoolProvider(props: { api: Api; children: ComponentChildren }) {
  const [settings, setSettings] = useState<SchoolSettings | null>(null);
  const [phone, setPhone] = useState<PhoneFormat | null>(null);
  useEffect(() => {
    let current = true;
    // Without the settings, numbers are shown internationally: still right, only less familiar.
    props.api
      .get<SchoolSettings>('/school')
      .then((loaded) => current && setSettings((known) => known ?? loaded))
      .catch(() => undefined);
    import('../phone-format').then((module) => current && setPhone(module));
    return () => {
      current = false;
    };
  }, [props.api]);
  const settingsChanged = useCallback((next: SchoolSettings) => setSettings(next), []);
  return (
    <SchoolContext.Provider value={{ settings, phone, settingsChanged }}>
      {props.children}
    </SchoolContext.Provider>
  );
}

export function useSchool(): School {
  return useContext(SchoolContext);
}

/** Formats an E.164 number for the school's country (as stored until the helpers have loaded). */
export function useFormatPhone(): (e164: string) => string {
  const { settings, phone } = useSchool();
  const country = settings?.country;
  return useCallback((e164: string) => (phone ? phone.formatPhone(e164, country) : e164), [phone, country]);
}
