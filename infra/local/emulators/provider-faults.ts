/**
 * Provider faults for the local emulators: which sends the local SES and SMS endpoints answer the
 * way a provider in trouble does, instead of accepting them.
 *
 * One spec, from `npm start -- --faults …`, `KLANTREIS_FAULTS` or `startLocalStack({ faults })`:
 *
 *   seed=7,sms:throttle:first=2,email:unavailable:share=0.1,email:refuse:to=x@example.nl
 *
 * A rule is `channel:kind[:option…]`; rules are tried in order and the first that takes a call
 * decides it. Options: `share=<0..1>` (that share of calls, drawn from a hash of the seed, the
 * recipient and how many sends that recipient had, so a run is the same whatever the order of
 * concurrent sends), `first=<n>` (the first n calls the rule sees), neither (every call),
 * `to=<address>` (only sends to that address or number), `hold=<ms>` (timeouts: how long the
 * connection is held before it is dropped, unless the client gives up first; default 3000).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';

export const FAULT_KINDS = [
  'refuse',
  'throttle',
  'unavailable',
  'timeout-after-accept',
  'timeout-before-accept',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultChannel = 'email' | 'sms';

/** What each kind does, for the startup banner and the README. */
export const FAULT_MEANINGS: Record<FaultKind, string> = {
  refuse: 'refused for good (SES MessageRejected 400 / SNS InvalidParameter 400)',
  throttle: 'throttled (SES TooManyRequestsException 429 / SNS Throttled 429)',
  unavailable: 'provider unavailable (503 ServiceUnavailable)',
  'timeout-after-accept': 'accepted (in the outbox, events flow), then no answer',
  'timeout-before-accept': 'not accepted and no answer',
};

/** How long a timeout holds the connection when the rule does not say. */
export const DEFAULT_HOLD_MS = 3000;

const count = (what: string) =>
  z.pipe(
    z.string().check(z.regex(/^\d+$/, `${what} must be a whole number`)),
    z.transform((text) => Number(text)),
  );

export const FaultRuleSchema = z
  .object({
    channel: z.enum(['email', 'sms'], 'channel must be email or sms'),
    kind: z.enum(FAULT_KINDS, `kind must be one of ${FAULT_KINDS.join(', ')}`),
    share: z.optional(
      z
        .number('share must be a number from 0 to 1')
        .check(z.gte(0, 'share must be from 0 to 1'), z.lte(1, 'share must be from 0 to 1')),
    ),
    first: z.optional(z.int('first must be a whole number').check(z.gte(1, 'first must be at least 1'))),
    to: z.optional(z.string().check(z.minLength(1, 'to must name an address'))),
    hold: z.optional(z.int('hold must be whole milliseconds').check(z.gte(0, 'hold must be ≥ 0'))),
  })
  .check(
    z.refine((rule) => rule.share === undefined || rule.first === undefined, 'give share or first, not both'),
  );
export type FaultRule = z.output<typeof FaultRuleSchema>;

export interface FaultSpec {
  seed: number;
  rules: FaultRule[];
}

export class FaultSpecError extends Error {
  constructor(part: string, problem: string) {
    super(`bad fault "${part}": ${problem}`);
    this.name = 'FaultSpecError';
  }
}

const OPTION_NAMES = new Set(['share', 'first', 'to', 'hold']);

/** Returns the rule one comma-separated part describes, or throws a FaultSpecError naming the part. */
function ruleOf(part: string): FaultRule {
  const [channel, kind, ...options] = part.split(':');
  const fields: Record<string, unknown> = { channel, kind };
  for (const option of options) {
    const at = option.indexOf('=');
    const name = at < 0 ? option : option.slice(0, at);
    if (!OPTION_NAMES.has(name) || at < 0) {
      throw new FaultSpecError(part, `"${option}" is not an option (share=, first=, to=, hold=)`);
    }
    const value = option.slice(at + 1);
    if (name in fields) throw new FaultSpecError(part, `${name} given twice`);
    fields[name] = name === 'to' ? value : value.trim() === '' ? Number.NaN : Number(value);
  }
  const parsed = FaultRuleSchema.safeParse(fields);
  if (!parsed.success) throw new FaultSpecError(part, parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/** Returns the faults a spec text describes (empty text: none), or throws a FaultSpecError naming the bad part. */
export function parseFaultSpec(text: string | undefined): FaultSpec {
  const spec: FaultSpec = { seed: 1, rules: [] };
  for (const raw of (text ?? '').split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    if (part.startsWith('seed=')) {
      const seed = count('seed').safeParse(part.slice('seed='.length));
      if (!seed.success) throw new FaultSpecError(part, seed.error.issues.map((i) => i.message).join('; '));
      spec.seed = seed.data;
      continue;
    }
    spec.rules.push(ruleOf(part));
  }
  return spec;
}

/** Returns the rule as spec text, e.g. `sms:throttle:first=2`. */
export function describeFaultRule(rule: FaultRule): string {
  return [
    rule.channel,
    rule.kind,
    ...(rule.share === undefined ? [] : [`share=${rule.share}`]),
    ...(rule.first === undefined ? [] : [`first=${rule.first}`]),
    ...(rule.to === undefined ? [] : ['to=…']),
    ...(rule.hold === undefined ? [] : [`hold=${rule.hold}`]),
  ].join(':');
}

/** One fault the emulators answered with: what the trust benchmark attributes to a customer. */
export interface InjectedFault {
  channel: FaultChannel;
  kind: FaultKind;
  /** The address or number the send was for. */
  to: string;
  /** Index of the rule that took the call. */
  rule: number;
}

/** A fault decided for one call: its kind and, for timeouts, how long the connection is held. */
export interface FaultDecision {
  kind: FaultKind;
  holdMs: number;
}

/** A send the provider accepted but never answered (timeout after acceptance). */
export interface UnansweredSend {
  channel: FaultChannel;
  to: string;
  providerMessageId: string;
}

/**
 * Decides, per send call, whether a fault takes it, and keeps what it injected. One instance per
 * local stack, shared by the SES and SMS fronts.
 */
export class ProviderFaults {
  readonly spec: FaultSpec;
  readonly #seen: number[];
  readonly #callsTo = new Map<string, number>();
  readonly #injected: InjectedFault[] = [];
  #unanswered: UnansweredSend[] = [];

  constructor(spec: FaultSpec | string | undefined) {
    this.spec = typeof spec === 'object' ? spec : parseFaultSpec(spec);
    this.#seen = this.spec.rules.map(() => 0);
  }

  get active(): boolean {
    return this.spec.rules.length > 0;
  }

  /** Returns the fault for this send call, or undefined when it goes through. */
  decide(channel: FaultChannel, to: string): FaultDecision | undefined {
    const recipientKey = `${channel}\n${to.toLowerCase()}`;
    const nth = (this.#callsTo.get(recipientKey) ?? 0) + 1;
    this.#callsTo.set(recipientKey, nth);
    for (const [index, rule] of this.spec.rules.entries()) {
      if (rule.channel !== channel) continue;
      if (rule.to !== undefined && rule.to.toLowerCase() !== to.toLowerCase()) continue;
      this.#seen[index] = (this.#seen[index] ?? 0) + 1;
      const takes =
        rule.first !== undefined
          ? (this.#seen[index] ?? 0) <= rule.first
          : rule.share === undefined || this.#draw(index, recipientKey, nth) < rule.share;
      if (!takes) continue;
      this.#injected.push({ channel, kind: rule.kind, to, rule: index });
      return { kind: rule.kind, holdMs: rule.hold ?? DEFAULT_HOLD_MS };
    }
    return undefined;
  }

  /** Every fault injected so far, in call order. */
  injected(): readonly InjectedFault[] {
    return this.#injected;
  }

  /** Notes a send accepted without an answer, so the feedback loop can still report its events. */
  acceptedWithoutAnswer(send: UnansweredSend): void {
    this.#unanswered.push(send);
  }

  /** Returns (and forgets) the message ids accepted without an answer for this recipient. */
  takeUnanswered(channel: FaultChannel, to: string): string[] {
    const matches = (s: UnansweredSend) => s.channel === channel && s.to.toLowerCase() === to.toLowerCase();
    const taken = this.#unanswered.filter(matches).map((s) => s.providerMessageId);
    if (taken.length > 0) this.#unanswered = this.#unanswered.filter((s) => !matches(s));
    return taken;
  }

  /** A number in [0, 1) fixed by the seed, the rule, the recipient and the recipient's nth call. */
  #draw(rule: number, recipientKey: string, nth: number): number {
    const digest = createHash('sha256')
      .update(`${this.spec.seed}\n${rule}\n${recipientKey}\n${nth}`)
      .digest();
    return digest.readUInt32BE(0) / 2 ** 32;
  }
}
