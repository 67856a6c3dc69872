import { useMemo } from 'preact/hooks';
import type { SchoolSettings } from '../api-types';
import { countryName } from '../format';
import { SelectField, TextField } from './FormFields';
import { useSchool } from './SchoolContext';

type SchoolFields = Pick<
  SchoolSettings,
  'name' | 'country' | 'time_zone' | 'portal_url' | 'default_language'
>;

/** Who the school is and where: name, country, time zone, portal address and default language. */
export function SchoolSection(props: { value: SchoolFields; onChange: (value: SchoolFields) => void }) {
  const { value, onChange } = props;
  const set = (change: Partial<SchoolFields>) => onChange({ ...value, ...change });
  const { phone } = useSchool();
  const countries = useMemo(() => {
    const codes = new Set(phone?.phoneCountries() ?? []);
    codes.add(value.country);
    return [...codes]
      .map((code) => ({ value: code, label: `${countryName(code)} (${code})` }))
      .sort((a, b) => a.label.localeCompare(b.label, 'en'));
  }, [phone, value.country]);
  const timeZones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  return (
    <fieldset class="card settings-group">
      <legend>School</legend>
      <TextField path="name" value={value.name} onValue={(name) => set({ name })} hint="Shown in invites" />
      <SelectField
        path="country"
        value={value.country}
        onValue={(country) => set({ country })}
        options={countries}
        hint="Phone numbers without a country code are read in this country, and the console writes its numbers the national way"
      />
      <TextField
        path="time_zone"
        value={value.time_zone}
        onValue={(time_zone) => set({ time_zone })}
        list="time-zone-options"
        hint="An IANA time zone, e.g. America/Mexico_City or UTC"
      />
      <datalist id="time-zone-options">
        {timeZones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <TextField
        path="portal_url"
        type="url"
        value={value.portal_url}
        onValue={(portal_url) => set({ portal_url })}
        hint="Where parents sign in (https); invites link to it"
      />
      <TextField
        path="default_language"
        value={value.default_language}
        onValue={(default_language) => set({ default_language })}
        list="language-options"
        hint="A BCP 47 tag such as en, es, fr or ar: for parents whose language is not known"
      />
    </fieldset>
  );
}
