import { SeededRandom } from './seeded-random';

export type Channel = 'email' | 'sms' | 'whatsapp';

/** One invented family: the parent the stream handler should make of its children's contacts. */
export interface Family {
  readonly index: number;
  readonly email: string | null;
  readonly phone: string | null;
  /** Its addresses are in the providers' refusal list, so every send to it fails permanently. */
  readonly bouncing: boolean;
}

export interface PlannedStudent {
  readonly family: number;
  readonly body: Readonly<Record<string, string | null>>;
}

/** A single invite and the answer the API must give: 202, or 422 for a channel without an address. */
export interface PlannedInvite {
  readonly family: number;
  readonly channel: Channel;
  readonly expect: 202 | 422;
}

/** Everything a scenario run does, decided up front from the seed so a failing run can be replayed. */
export interface ScenarioPlan {
  readonly schoolId: string;
  readonly families: readonly Family[];
  readonly students: readonly PlannedStudent[];
  /** For the stack's `failRecipients`: the bouncing families' addresses. */
  readonly failRecipients: readonly string[];
  readonly singles: readonly PlannedInvite[];
  readonly bulkByIds: { readonly channel: Channel; readonly families: readonly number[] };
  readonly bulkAll: { readonly channel: Channel; readonly status: readonly string[] };
  /** The channel the schedule invites on (a deployment setting, so given to the stack). */
  readonly scheduledChannel: Channel;
}

const SIBLING_SHARE = 0.15;
const BOUNCING_SHARE = 0.04;
const SINGLE_INVITE_SHARE = 0.3;
const RE_INVITE_SHARE = 0.3;
const WRONG_CHANNEL_SHARE = 0.25;
const BULK_BY_IDS_SHARE = 0.2;

/**
 * `studentCount` students of about 0.85 × as many families (the rest are siblings sharing a
 * family's contact and email); most families have both an email and a phone, some only one. Then
 * single invites for a third of the families (some re-invited on another channel, some asked on a
 * channel they have no address for), a bulk invite of a fifth by id, a bulk invite of everyone
 * not invited or failed, and a scheduled run — all to be started at once.
 */
export function planScenario(studentCount: number, seed: number, schoolId = 'chaos'): ScenarioPlan {
  if (studentCount > 9_000)
    throw new Error('At most 9,000 students: phone numbers are +1202555 and 4 digits');
  const random = new SeededRandom(seed);
  const families: Family[] = [];
  const students: PlannedStudent[] = [];
  const newFamily = (): Family => {
    const index = families.length;
    const kind = random.next();
    const bouncing = random.chance(BOUNCING_SHARE);
    const family = {
      index,
      email: kind < 0.85 ? `family${index}.s${seed}@example.com` : null,
      phone: kind < 0.7 || kind >= 0.85 ? `+1202555${String(1000 + index).padStart(4, '0')}` : null,
      bouncing,
    };
    families.push(family);
    return family;
  };
  for (let index = 0; index < studentCount; index++) {
    const family = families.length > 0 && random.chance(SIBLING_SHARE) ? random.pick(families) : newFamily();
    students.push({
      family: family.index,
      body: {
        first_name: `Child${index}`,
        last_name: `Family${family.index}`,
        grade: String(1 + random.below(12)),
        mother_name: `Mother${family.index} Chaos`,
        father_name: random.chance(0.5) ? `Father${family.index} Chaos` : null,
        parents_email: family.email,
        parents_contact: family.phone,
      },
    });
  }

  const singles: PlannedInvite[] = [];
  for (const family of families) {
    const reachable = channelsOf(family);
    const unreachable = (['email', 'sms', 'whatsapp'] as const).filter(
      (channel) => !reachable.includes(channel),
    );
    if (random.chance(SINGLE_INVITE_SHARE)) {
      singles.push({ family: family.index, channel: random.pick(reachable), expect: 202 });
      if (random.chance(RE_INVITE_SHARE)) {
        singles.push({ family: family.index, channel: random.pick(reachable), expect: 202 });
      }
    }
    if (unreachable.length > 0 && random.chance(WRONG_CHANNEL_SHARE)) {
      singles.push({ family: family.index, channel: random.pick(unreachable), expect: 422 });
    }
  }

  return {
    schoolId,
    families,
    students,
    failRecipients: families.flatMap((family) =>
      family.bouncing
        ? [family.email, family.phone].filter((address): address is string => address !== null)
        : [],
    ),
    singles: random.sample(singles, singles.length),
    bulkByIds: {
      channel: 'whatsapp',
      families: random
        .sample(families, Math.ceil(families.length * BULK_BY_IDS_SHARE))
        .map((family) => family.index),
    },
    bulkAll: { channel: 'email', status: ['not_invited', 'failed'] },
    scheduledChannel: 'sms',
  };
}

export function channelsOf(family: Family): Channel[] {
  return [
    ...(family.email ? (['email'] as const) : []),
    ...(family.phone ? (['sms', 'whatsapp'] as const) : []),
  ];
}
