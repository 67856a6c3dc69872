import { useFormatPhone } from './SchoolContext';

/**
 * A stored E.164 number written as the school writes numbers, as a `tel:` link that keeps the
 * exact number (and shows it on hover), so nothing is lost by the formatting.
 */
export function PhoneNumber(props: { e164: string }) {
  const format = useFormatPhone();
  return (
    <a class="phone" href={`tel:${props.e164}`} title={props.e164}>
      {format(props.e164)}
    </a>
  );
}
