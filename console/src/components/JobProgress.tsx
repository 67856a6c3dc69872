import type { Channel, Job } from '../api-types';
import { channelNames, statusNames } from '../api-types';
import { keptPasswordSummary } from '../password-reset';

const deliveryStatuses = ['delivered', 'bounced', 'complained', 'undeliverable'] as const;

/** A bulk job is over once the fan-out completed and no invite is left in the queue. */
export function jobFinished(job: Job | null): boolean {
  return job !== null && job.status === 'completed' && job.queued === 0;
}

/** The running (or finished) bulk invite: how many are queued, sent, failed and skipped. */
export function JobProgress(props: { job: Job | null; channel: Channel; onDismiss: () => void }) {
  const { job } = props;
  const finished = jobFinished(job);
  const done = job ? job.sent + job.failed + job.skipped : 0;
  const kept = job ? keptPasswordSummary(job.skipped_activated) : null;
  return (
    <section class="card job" aria-labelledby="job-title" data-job-status={finished ? 'finished' : 'running'}>
      <h2 id="job-title">
        Bulk invite by {channelNames[props.channel]} {finished ? '— finished' : '— in progress'}
      </h2>
      {job ? (
        <>
          <progress max={Math.max(job.total, 1)} value={done} aria-label="Invites done">
            {done} of {job.total}
          </progress>
          <p aria-live="polite">
            {done.toLocaleString()} of {job.total.toLocaleString()} done
          </p>
          <dl class="job-counts">
            {(['queued', 'sent', 'failed', 'skipped'] as const).map((name) => (
              <div key={name} class={`job-count job-count-${name}`}>
                <dt>{name[0]?.toUpperCase() + name.slice(1)}</dt>
                <dd data-count={name}>{job[name].toLocaleString()}</dd>
              </div>
            ))}
          </dl>
          {kept && (
            <p class="job-kept" data-skipped-activated>
              Of the skipped, {kept}
            </p>
          )}
          {job.sent > 0 && (
            <p class="job-delivery" data-delivery>
              Of the sent, the providers report:{' '}
              {deliveryStatuses
                .map(
                  (status) => `${statusNames[status].toLowerCase()} ${job.delivery[status].toLocaleString()}`,
                )
                .join(' · ')}
              .
            </p>
          )}
          {finished && job.failed > 0 && (
            <p>Failed parents are listed under the “Failed” filter with the reason.</p>
          )}
        </>
      ) : (
        <p>Starting…</p>
      )}
      {finished && (
        <button type="button" onClick={props.onDismiss}>
          Dismiss
        </button>
      )}
    </section>
  );
}
