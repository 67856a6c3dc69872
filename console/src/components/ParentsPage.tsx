import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type Api, ApiError } from '../api';
import {
  type ActivationFilter,
  activationFilters,
  activationNames,
  type BulkInviteBody,
  type Channel,
  channelNames,
  channels,
  type InviteStatus,
  type Job,
  type Page,
  type Parent,
  type ParentCounts,
  type ParentDetail,
  statuses,
  statusNames,
} from '../api-types';
import { parentLabel, plural } from '../format';
import {
  choseOwnPassword,
  inviteBody,
  isChosenPasswordConflict,
  keptPasswordSummary,
  withPasswordReset,
} from '../password-reset';
import { CheckboxField, FieldsProvider } from './FormFields';
import { JobProgress, jobFinished } from './JobProgress';
import { useNotify } from './Notices';
import { Pager, useCursorPages } from './Pager';
import { ParentDetails } from './ParentDetails';
import { ParentRow } from './ParentRow';
import { PasswordResetConfirm, type PasswordResetQuestion } from './PasswordResetConfirm';
import { useFormatPhone } from './SchoolContext';

type StatusFilter = 'all' | InviteStatus | ActivationFilter;

const isActivationFilter = (filter: StatusFilter): filter is ActivationFilter =>
  (activationFilters as readonly string[]).includes(filter);

const filterName = (filter: Exclude<StatusFilter, 'all'>) =>
  isActivationFilter(filter) ? activationNames[filter] : statusNames[filter];

function countOf(counts: ParentCounts, filter: StatusFilter): number {
  if (filter === 'all') return counts.total;
  return isActivationFilter(filter) ? counts.by_activation[filter] : counts.by_status[filter];
}
/** What `POST /invites/bulk` takes as explicit ids. */
const maxBulkIds = 1000;
const pollMs = 1500;
const idleRefreshMs = 5000;

interface Filter {
  readonly status: StatusFilter;
  readonly search: string;
  readonly pageSize: number;
}

/** The parents list: filter, search, paging, per-row and bulk actions, and bulk job progress. */
export function ParentsPage({ api }: { api: Api }) {
  const notify = useNotify();
  const formatPhone = useFormatPhone();
  const [filter, setFilter] = useState<Filter>({ status: 'all', search: '', pageSize: 25 });
  const [searchInput, setSearchInput] = useState('');
  const pages = useCursorPages();
  const [page, setPage] = useState<Page<Parent> | null>(null);
  const [counts, setCounts] = useState<ParentCounts | null>(null);
  const [loadError, setLoadError] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [job, setJob] = useState<WatchedJob | null>(null);
  const [detailId, setDetailId] = useState<string | null>(null);
  const [busyRows, setBusyRows] = useState<ReadonlySet<string>>(new Set());
  const [bulkBusy, setBulkBusy] = useState(false);
  // Off by default, and off again after each job: replacing chosen passwords is asked for each time.
  const [bulkResetPassword, setBulkResetPassword] = useState(false);
  const [resetAsked, setResetAsked] = useState<{ parent: Parent; question: PasswordResetQuestion } | null>(
    null,
  );
  const [refreshes, setRefreshes] = useState(0);
  const latest = useRef(0);

  const changeFilter = (change: Partial<Filter>) => {
    setFilter((current) => ({ ...current, ...change }));
    pages.restart();
    setSelected(new Set());
    setAllMatching(false);
  };
  const refresh = useCallback(() => setRefreshes((count) => count + 1), []);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (searchInput.trim() !== filter.search) changeFilter({ search: searchInput.trim() });
    }, 300);
    return () => clearTimeout(timer);
  }, [searchInput, filter.search]);

  const { cursor } = pages;
  // `refreshes` is a dependency on purpose: bumping it reads the same page again.
  useEffect(() => {
    const request = ++latest.current;
    const query = {
      status: filter.status === 'all' ? undefined : filter.status,
      q: filter.search || undefined,
    };
    Promise.all([
      api.get<Page<Parent>>('/parents', {
        ...query,
        limit: String(filter.pageSize),
        cursor: cursor ?? undefined,
      }),
      api.get<ParentCounts>('/parents/counts', { q: query.q }),
    ])
      .then(([nextPage, nextCounts]) => {
        if (request !== latest.current) return;
        setPage(nextPage);
        setCounts(nextCounts);
        setLoadError('');
      })
      .catch((error) => {
        if (request !== latest.current) return;
        setLoadError(error instanceof ApiError ? error.message : 'The parents could not be loaded.');
      });
  }, [api, filter, cursor, refreshes]);

  // Parents follow student writes a moment later, queued invites change status on their own, and
  // the provider reports delivery (or a bounce) seconds after accepting a message: keep the page
  // current, quickly while invites are queued or just sent, and only while the tab is seen.
  const watchClosely = page?.items.some(awaitingNews) ?? false;
  useEffect(() => {
    const timer = setTimeout(
      () => document.visibilityState === 'visible' && refresh(),
      watchClosely ? pollMs : idleRefreshMs,
    );
    return () => clearTimeout(timer);
  }, [watchClosely, page, refresh]);

  useEffect(() => {
    if (!job || !stillWatched(job)) return;
    const timer = setTimeout(
      async () => {
        try {
          const state = await api.get<Job>(`/invites/jobs/${encodeURIComponent(job.id)}`);
          const finishedNow = jobFinished(state) && job.finishedAt === undefined;
          setJob((current) =>
            current?.id === job.id
              ? {
                  ...current,
                  state,
                  finishedAt: current.finishedAt ?? (jobFinished(state) ? Date.now() : undefined),
                }
              : current,
          );
          refresh();
          if (finishedNow) {
            const kept = keptPasswordSummary(state.skipped_activated);
            notify(
              `Bulk invite by ${channelNames[job.channel]} finished: ${state.sent} sent, ${state.failed} failed, ${state.skipped} skipped.${kept ? ` ${kept}` : ''}`,
            );
          }
        } catch (error) {
          notify(error instanceof ApiError ? error.message : 'The job could not be read.', 'error');
        }
      },
      job.state ? pollMs : 300,
    );
    return () => clearTimeout(timer);
  }, [api, job, notify, refresh]);

  const items = page?.items ?? [];
  const matching = counts ? countOf(counts, filter.status) : 0;
  const pageSelected = items.length > 0 && items.every((parent) => selected.has(parent.id));
  const someSelected = items.some((parent) => selected.has(parent.id));
  const selectionSize = allMatching ? matching : selected.size;

  const withRow = async (parent: Parent, work: () => Promise<void>) => {
    setBusyRows((rows) => new Set(rows).add(parent.id));
    try {
      await work();
    } catch (error) {
      notify(error instanceof ApiError ? error.message : 'The action failed.', 'error');
    } finally {
      setBusyRows((rows) => {
        const next = new Set(rows);
        next.delete(parent.id);
        return next;
      });
      refresh();
    }
  };

  const createCredentials = (parent: Parent) =>
    withRow(parent, async () => {
      const { username } = await api.post<{ username: string }>(
        `/parents/${encodeURIComponent(parent.id)}/credentials`,
      );
      notify(`Credentials for ${parentLabel(parent, formatPhone)}: username ${username}.`);
    });

  /**
   * Invites one parent. A parent known to have chosen a password is asked about first; one who
   * chose it after the list was read is refused by the API (409), and then asked about the same way.
   */
  const invite = (parent: Parent, channel: Channel, resetPassword = false) => {
    const label = parentLabel(parent, formatPhone);
    if (!resetPassword && choseOwnPassword(parent)) {
      setResetAsked({ parent, question: { label, channel, activatedAt: parent.activated_at } });
      return;
    }
    return withRow(parent, async () => {
      const path = `/parents/${encodeURIComponent(parent.id)}`;
      try {
        await api.post(`${path}/invites`, inviteBody(channel, resetPassword));
      } catch (error) {
        if (resetPassword || !isChosenPasswordConflict(error)) throw error;
        // The refusal names no date: the parent's details do (the question goes without one if not).
        const detail = await api.get<ParentDetail>(path).catch(() => null);
        setResetAsked({ parent, question: { label, channel, activatedAt: detail?.activated_at ?? null } });
        return;
      }
      notify(
        resetPassword
          ? `Invite by ${channelNames[channel]} queued for ${label}, with a new temporary password.`
          : `Invite by ${channelNames[channel]} queued for ${label}.`,
      );
    });
  };

  const confirmReset = () => {
    if (!resetAsked) return;
    setResetAsked(null);
    void invite(resetAsked.parent, resetAsked.question.channel, true);
  };

  /** Every id matching a search, for a bulk request (the bulk API filters "all" by status only). */
  const matchingIds = async (): Promise<string[]> => {
    const ids: string[] = [];
    let next: string | null = null;
    do {
      const found: Page<Parent> = await api.get<Page<Parent>>('/parents', {
        status: filter.status === 'all' ? undefined : filter.status,
        q: filter.search,
        limit: '100',
        cursor: next ?? undefined,
      });
      ids.push(...found.items.map((parent) => parent.id));
      next = found.next_cursor;
    } while (next && ids.length <= maxBulkIds);
    return ids;
  };

  const bulkInvite = async (channel: Channel) => {
    setBulkBusy(true);
    try {
      let body: BulkInviteBody;
      if (allMatching && !filter.search && !isActivationFilter(filter.status)) {
        body = { channel, all: true, status: filter.status === 'all' ? [...statuses] : [filter.status] };
      } else {
        const ids = allMatching ? await matchingIds() : [...selected];
        if (ids.length > maxBulkIds) {
          notify(
            `A search can invite at most ${maxBulkIds.toLocaleString()} parents at once; narrow it down.`,
            'error',
          );
          return;
        }
        body = { channel, parent_ids: ids };
      }
      const { job_id } = await api.post<{ job_id: string }>(
        '/invites/bulk',
        withPasswordReset(body, bulkResetPassword),
      );
      setJob({ id: job_id, channel, state: null });
      setSelected(new Set());
      setAllMatching(false);
      setBulkResetPassword(false);
      notify(`Bulk invite by ${channelNames[channel]} started for ${plural(selectionSize, 'parent')}.`);
    } catch (error) {
      notify(error instanceof ApiError ? error.message : 'The bulk invite could not be started.', 'error');
    } finally {
      setBulkBusy(false);
    }
  };

  const selectPage = (checked: boolean) => {
    setAllMatching(false);
    setSelected((current) => {
      const next = new Set(current);
      for (const parent of items) {
        if (checked) next.add(parent.id);
        else next.delete(parent.id);
      }
      return next;
    });
  };

  const selectOne = (parent: Parent, checked: boolean) => {
    setAllMatching(false);
    setSelected((current) => {
      const next = new Set(current);
      if (checked) next.add(parent.id);
      else next.delete(parent.id);
      return next;
    });
  };

  return (
    <>
      <h1>Parents</h1>
      <section class="toolbar" aria-label="Filter parents">
        <fieldset class="status-filter">
          <legend>Invite status or portal sign-in</legend>
          {(['all', ...statuses, ...activationFilters] as const).map((status) => (
            <label key={status} class={filter.status === status ? 'chip chip-on' : 'chip'}>
              <input
                type="radio"
                name="status"
                value={status}
                checked={filter.status === status}
                onChange={() => changeFilter({ status })}
              />
              {status === 'all' ? 'All' : filterName(status)}
              {counts && <span class="chip-count">{countOf(counts, status).toLocaleString()}</span>}
            </label>
          ))}
        </fieldset>
        <div class="search">
          <label for="parent-search">Search</label>
          <input
            id="parent-search"
            type="search"
            placeholder="Name, email or phone"
            value={searchInput}
            onInput={(event) => setSearchInput(event.currentTarget.value)}
            maxLength={100}
          />
        </div>
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </section>

      {job && <JobProgress job={job.state} channel={job.channel} onDismiss={() => setJob(null)} />}

      {(someSelected || allMatching) && (
        <section class="bulk-bar card" aria-label="Bulk actions">
          <p>
            <strong>
              {allMatching ? `All ${plural(matching, 'matching parent')}` : plural(selected.size, 'parent')}
            </strong>{' '}
            selected.{' '}
            {pageSelected && !allMatching && matching > items.length && (
              <button type="button" class="link" onClick={() => setAllMatching(true)}>
                Select all {plural(matching, 'parent')} matching this filter
              </button>
            )}
            <button
              type="button"
              class="link"
              onClick={() => {
                setSelected(new Set());
                setAllMatching(false);
              }}
            >
              Clear selection
            </button>
          </p>
          <FieldsProvider value={{ idPrefix: 'bulk', errors: {} }}>
            <CheckboxField
              path="reset_password"
              label="Also re-invite parents who already signed in"
              hint="Off: parents who signed in to the portal are skipped and keep the password they chose. On: a new temporary password replaces it, and they must sign in with that one."
              checked={bulkResetPassword}
              onValue={setBulkResetPassword}
            />
          </FieldsProvider>
          <fieldset class="row-actions">
            <legend>Invite selected by</legend>
            {channels.map((channel) => (
              <button
                key={channel}
                type="button"
                class="primary"
                disabled={bulkBusy}
                onClick={() => bulkInvite(channel)}
              >
                {channelNames[channel]}
              </button>
            ))}
          </fieldset>
          <p class="reason">Parents without that channel's address are skipped and counted as such.</p>
        </section>
      )}

      {loadError && (
        <p role="alert" class="notice notice-error">
          {loadError}{' '}
          <button type="button" class="link" onClick={refresh}>
            Retry
          </button>
        </p>
      )}

      <div class="table-wrap">
        <table class="parents" aria-describedby="parents-summary">
          <caption id="parents-summary">
            {page === null
              ? 'Loading parents…'
              : `${plural(matching, 'parent')}${filter.status === 'all' ? '' : ` ${filterName(filter.status).toLowerCase()}`}${
                  filter.search ? ` matching “${filter.search}”` : ''
                } · page ${pages.number}`}
          </caption>
          <thead>
            <tr>
              <th scope="col" class="select-cell">
                <label class="select-page">
                  <input
                    type="checkbox"
                    aria-label="Select all parents on this page"
                    checked={pageSelected}
                    ref={(box) => {
                      if (box) box.indeterminate = someSelected && !pageSelected;
                    }}
                    onChange={(event) => selectPage(event.currentTarget.checked)}
                    disabled={items.length === 0}
                  />
                  <span class="phone-only" aria-hidden="true">
                    Select all on this page
                  </span>
                </label>
              </th>
              <th scope="col">Parents</th>
              <th scope="col">Contact</th>
              <th scope="col">Children</th>
              <th scope="col">Credentials</th>
              <th scope="col">Invite</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {items.map((parent) => (
              <ParentRow
                key={parent.id}
                parent={parent}
                selected={allMatching || selected.has(parent.id)}
                busy={busyRows.has(parent.id)}
                onSelect={(checked) => selectOne(parent, checked)}
                onDetails={() => setDetailId(parent.id)}
                onCreateCredentials={() => createCredentials(parent)}
                onInvite={(channel) => invite(parent, channel)}
              />
            ))}
            {page !== null && items.length === 0 && (
              <tr>
                <td colSpan={7} class="empty">
                  {filter.search || filter.status !== 'all'
                    ? 'No parents match. Change the filter or the search.'
                    : 'No parents yet. Add students with parent details on the Students page.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <Pager label="Pages of parents" pages={pages} nextCursor={page?.next_cursor}>
        <label>
          Per page{' '}
          <select
            value={filter.pageSize}
            onChange={(event) => changeFilter({ pageSize: Number(event.currentTarget.value) })}
          >
            {[25, 50, 100].map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
      </Pager>

      {detailId && <ParentDetails api={api} parentId={detailId} onClose={() => setDetailId(null)} />}
      {resetAsked && (
        <PasswordResetConfirm
          question={resetAsked.question}
          onCancel={() => setResetAsked(null)}
          onConfirm={confirmReset}
        />
      )}
    </>
  );
}

/** How long after the provider accepted an invite its delivery event is watched for closely. */
const deliveryWatchMs = 60_000;

function awaitingNews(parent: Parent): boolean {
  const { status, at } = parent.invite;
  if (status === 'queued') return true;
  return status === 'invited' && at !== null && Date.now() - Date.parse(at) < deliveryWatchMs;
}

/** A bulk job on the page, and when it was first seen finished. */
interface WatchedJob {
  readonly id: string;
  readonly channel: Channel;
  readonly state: Job | null;
  readonly finishedAt?: number;
}

/** Read again while it runs, and for a minute after, while providers still report deliveries. */
function stillWatched(job: WatchedJob): boolean {
  if (!jobFinished(job.state)) return true;
  const reported = Object.values(job.state?.delivery ?? {}).reduce((sum, count) => sum + count, 0);
  return (
    job.finishedAt !== undefined &&
    reported < (job.state?.sent ?? 0) &&
    Date.now() - job.finishedAt < deliveryWatchMs
  );
}
