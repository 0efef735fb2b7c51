/**
 * Per-stage configuration: one entry per environment Klantreis deploys to. The stage is
 * chosen once (`cdk synth -c stage=<name>`) and drives names, log level, retention and
 * removal policy. A stage must be defined here to be deployable, so a typo fails at synth.
 */
import * as z from 'zod';
import { TimeWindowSchema } from '#core/policy.ts';
import { ScheduleSchema } from '#core/schedule.ts';

const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');
/** The retention periods CloudWatch Logs accepts. */
const logRetentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653,
] as const;

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +3197010123456');

/**
 * Regions where SES receives email (the "email receiving endpoints" of the SES endpoints page);
 * add one here when AWS lists it.
 */
export const SES_RECEIVING_REGIONS: readonly string[] = ['us-east-1', 'us-west-2', 'eu-west-1'];

export const StageConfigSchema = z.object({
  /** Only when the stage must deploy to one account; omitted keeps the stack environment-agnostic. */
  account: accountId.optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1')
    .default('eu-west-1'),
  /** RFC 5322 sender, e.g. `Klantreis <noreply@example.com>`; its address or domain is the SES identity. */
  emailFrom: z
    .string()
    .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/, 'name <address>'),
  /**
   * A plain mailbox customers' email replies go to (`Reply-To`), e.g. the organisation's service
   * desk; without it and without `inboundEmail`, replies go to the sender address.
   */
  emailReplyTo: z.email().optional(),
  /**
   * Replies that join the conversation: each email's Reply-To is `reply+<signed token>@<domain>`,
   * SES receives the domain's mail (its MX record points at `inbound-smtp.<region>.amazonaws.com`),
   * and `receive-email-reply` records each reply on the message it answers and hands it to a
   * person ([hand-over desk](../docs/hand-over-desk.md#email-replies)). Use a domain for replies only.
   */
  inboundEmail: z
    .object({
      domain: z
        .string()
        .regex(
          /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
          'a lower-case domain such as replies.example.com',
        ),
      /** Days the raw mail stays in the replies bucket when its handler could not take it (it deletes what it took). */
      retentionDays: z.number().int().positive().max(365).default(30),
    })
    .optional(),
  sesConfigurationSetName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  /** Alphanumeric sender id for SMS where the destination country allows one. */
  smsSenderId: z
    .string()
    .regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, 'at most 11 letters or digits, at least one letter')
    .optional(),
  smsOriginationNumber: e164.optional(),
  /**
   * Which service sends SMS. `sns` (the default): SNS `Publish` to the phone number, using
   * `smsSenderId` / `smsOriginationNumber`. `end-user-messaging`: End User Messaging SMS
   * `SendTextMessage` from `originationIdentityArn` (a phone number, pool or sender id of the
   * account) with `configurationSetName`, whose event destination publishes the SMS events to the
   * stage's SMS events topic (a one-time account step). Its events carry the send's context, so an
   * SMS whose answer was lost is reconciled by them and sent again once, as an email is; with SNS it
   * goes to the supporting channel instead. `twoWay: true` says the sender number takes replies
   * (inbound SMS reach `record-sms-feedback`, which handles STOP), so an SMS may offer "reply STOP" as its opt-out where the
   * policy's `smsOptOut` asks for it; without it every SMS carries the unsubscribe link.
   */
  sms: z
    .discriminatedUnion('sender', [
      z.object({ sender: z.literal('sns'), twoWay: z.boolean().optional() }),
      z.object({
        sender: z.literal('end-user-messaging'),
        twoWay: z.boolean().optional(),
        originationIdentityArn: z
          .string()
          .regex(
            /^arn:aws[a-z-]*:sms-voice:[a-z]{2}(-[a-z]+)+-\d:\d{12}:(phone-number|pool|sender-id)\/[A-Za-z0-9_/-]+$/,
            'the ARN of a phone number, pool or sender id (arn:aws:sms-voice:<region>:<account>:pool/<id>)',
          ),
        configurationSetName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a configuration set name'),
      }),
    ])
    .default({ sender: 'sns' }),
  /** The account's SES maximum send rate (emails per second, from the SES console); sends never exceed it. */
  sesMaxSendRate: z.number().positive().default(14),
  /** SMS messages per second the account's origination identities allow (End User Messaging SMS); never exceeded. */
  smsMaxPerSecond: z.number().positive().default(20),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
  logRetentionDays: z.number().refine((d) => (logRetentionDays as readonly number[]).includes(d), {
    message: `one of CloudWatch's periods: ${logRetentionDays.join(', ')}`,
  }),
  /** How long rendered message bodies stay in the timeline (DynamoDB TTL); metadata stays. */
  messageBodyRetentionDays: z.number().int().positive(),
  /**
   * How long results are kept: the aggregate items (DynamoDB TTL) and the counted events in the
   * stage's results bucket (S3 lifecycle). A results query may not reach further back.
   */
  resultsRetentionDays: z.number().int().positive().default(400),
  /** `retain` keeps the table and logs when the stack is deleted; production data must survive that. */
  removalPolicy: z.enum(['destroy', 'retain']),
  /**
   * Who holds the keys to the stage's data at rest. `customer-managed`: the stage's own KMS key
   * (`alias/klantreis-<stage>`, rotated yearly) encrypts the table, queues, log groups and state
   * machines, so revoking or auditing it covers them all. `aws-managed`: AWS-managed and AWS-owned
   * keys. The SMS topics use the stage key either way: AWS services can publish only to topics whose
   * key policy lets them, and an AWS-managed key's policy cannot be changed.
   */
  encryptionKey: z.enum(['aws-managed', 'customer-managed']).default('aws-managed'),
  /** The self-service portal linked from messages; the handlers' own default applies when absent. */
  portalUrl: z.url().optional(),
  /**
   * The short domain an SMS's links go out under (`https://<linkDomain>/s/<code>`), e.g. `go.example.nl`:
   * an API Gateway custom domain mapped to the stage's HTTP API (docs/short-links.md). At most 20
   * characters, since texts are validated with a link of that length. Absent: the API's own address.
   */
  linkDomain: z
    .string()
    .max(20, 'at most 20 characters: every link in an SMS carries it')
    .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a lower-case host name')
    .optional(),
  /**
   * The contact centre that makes this stage's calls, over the policy's `contactCentre` field by field
   * (the stage value wins; the policy is the default): its time zone, opening hours and calls per hour.
   */
  contactCentre: z
    .strictObject({
      timezone: z.string().min(1).optional(),
      openingHours: z.array(TimeWindowSchema).min(1).optional(),
      callsPerHour: z.number().int().min(1).optional(),
    })
    .optional(),
  /** Where journey-failure alarms are mailed; no alarm mail when absent. */
  alarmEmail: z.email().optional(),
  /**
   * How API callers authenticate on every non-public route: `iam` (SigV4-signed by an IAM principal
   * allowed execute-api:Invoke) or `jwt` (a token from `jwt.issuer` with one of `jwt.audience`).
   */
  apiAuthorization: z.enum(['iam', 'jwt']).default('iam'),
  jwt: z
    .object({
      /** The OIDC issuer URL, e.g. `https://cognito-idp.eu-west-1.amazonaws.com/<pool id>`. */
      issuer: z.url({ protocol: /^https$/ }),
      audience: z.array(z.string().min(1)).min(1),
      /** Scopes every route requires, e.g. `klantreis/api`; none when empty. */
      scopes: z.array(z.string().min(1)).default([]),
    })
    .optional(),
  /** EventBridge Scheduler schedules: each fires the scheduled batch for one journey. */
  schedules: z.array(ScheduleSchema).default([]),
  /** Hand-overs to a person (`HandOverInbox`): how long the bus archive keeps them, when waiting alarms. */
  handOvers: z
    .object({
      /** Days the hand-over bus's archive keeps every hand-over for replay after an outage. */
      archiveRetentionDays: z.number().int().positive(),
      /** The alarm fires when the oldest hand-over in the queue has waited this long. */
      maxWaitMinutes: z.number().int().positive().default(60),
    })
    .default({ archiveRetentionDays: 30, maxWaitMinutes: 60 }),
  /**
   * The console for people (`infra/constructs/console.ts`): the app on CloudFront, sign-in through
   * the stage's own Cognito user pool, the console's routes behind a JWT authorizer. On unless
   * `enabled: false`.
   */
  console: z
    .object({
      enabled: z.boolean().default(true),
      /**
       * The Cognito hosted sign-in page's prefix: `https://<prefix>.auth.<region>.amazoncognito.com`.
       * Unique in the region across all AWS accounts: pick your own. Default `klantreis-<stage>-console`.
       */
      domainPrefix: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and hyphens')
        .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'Cognito refuses aws, amazon and cognito')
        .optional(),
      /** More origins the console is reached at (a custom domain in front of CloudFront), e.g. `https://console.example.com`. */
      callbackOrigins: z.array(z.url({ protocol: /^https$/ })).default([]),
      /** A second factor (an authenticator app): `required` for everyone, or `optional` per person. */
      mfa: z.enum(['optional', 'required']).default('required'),
      /**
       * Cognito's threat protection (the Plus feature plan, billed per active user): `enforced` blocks
       * risky sign-ins and compromised passwords, `audit` only reports them, `off` keeps the Essentials plan.
       */
      threatProtection: z.enum(['enforced', 'audit', 'off']).default('enforced'),
    })
    .default({ enabled: true, callbackOrigins: [], mfa: 'required', threatProtection: 'enforced' }),
  /** Default HTTP API throttling for every route. */
  apiThrottle: z
    .object({ rateLimit: z.number().positive(), burstLimit: z.number().int().positive() })
    .default({ rateLimit: 50, burstLimit: 100 }),
});

/** A stage must say who issues its JWTs when it authorizes with them. */
export const ValidStageConfigSchema = StageConfigSchema.refine((s) => s.apiAuthorization !== 'jwt' || s.jwt, {
  path: ['jwt'],
  message: 'required when apiAuthorization is "jwt"',
})
  .refine((s) => new Set(s.schedules.map((x) => x.id)).size === s.schedules.length, {
    path: ['schedules'],
    message: 'schedule ids must be unique',
  })
  .refine((s) => !s.inboundEmail || SES_RECEIVING_REGIONS.includes(s.region), {
    path: ['inboundEmail'],
    message: `SES receives email only in some regions: deploy the stage to one of ${SES_RECEIVING_REGIONS.join(', ')}, or leave inboundEmail out (emailReplyTo still sets a plain Reply-To)`,
  });

export type StageConfig = z.infer<typeof StageConfigSchema> & { name: string };
type StageInput = z.input<typeof StageConfigSchema>;

/**
 * Every weekday at 09:00 in Amsterdam: start the payment reminder for invoices due in three days, so its
 * friendly notice goes out before the due date; the lookback also starts invoices recorded late (up to
 * four days past due: the journey then skips the notice with the reason). A weekend's catch up on Monday.
 * 09:00, when most segments' windows are open. The starter plans each run's first wake in its customer's
 * window (`planFirstWake`), so an earlier or later start costs no extra visit; customers hear from us at
 * their window's opening either way.
 */
const paymentReminderSchedule = {
  id: 'payment-reminder',
  journeyId: 'payment-reminder',
  cron: 'cron(0 9 ? * MON-FRI *)',
  timezone: 'Europe/Amsterdam',
  select: { kind: 'invoices-due', daysOverdue: -3, lookbackDays: 7 },
  batchSize: 50,
  maxConcurrency: 5,
} as const;

const stages: Record<string, StageInput> = {
  dev: {
    emailFrom: 'Klantreis <noreply@example.com>',
    // Replies join the conversation; a development domain whose MX points at SES in eu-west-1.
    emailReplyTo: 'service@example.com',
    inboundEmail: { domain: 'replies.example.com' },
    smsSenderId: 'Klantreis',
    logLevel: 'DEBUG',
    logRetentionDays: 7,
    messageBodyRetentionDays: 7,
    removalPolicy: 'destroy',
    handOvers: { archiveRetentionDays: 7 },
    // A development pool: people try it out, nothing of a customer's is behind it.
    console: { mfa: 'optional', threatProtection: 'off' },
    schedules: [{ ...paymentReminderSchedule, enabled: false }],
  },
  test: {
    emailFrom: 'Klantreis <noreply@example.com>',
    smsSenderId: 'Klantreis',
    logLevel: 'INFO',
    logRetentionDays: 14,
    messageBodyRetentionDays: 14,
    removalPolicy: 'destroy',
    handOvers: { archiveRetentionDays: 14 },
    schedules: [paymentReminderSchedule],
  },
  prod: {
    emailFrom: 'Klantreis <noreply@example.com>',
    smsSenderId: 'Klantreis',
    logLevel: 'INFO',
    logRetentionDays: 90,
    messageBodyRetentionDays: 90,
    removalPolicy: 'retain',
    encryptionKey: 'customer-managed',
    // A year of hand-overs to replay: a collections case can surface long after the run.
    handOvers: { archiveRetentionDays: 365, maxWaitMinutes: 240 },
    apiThrottle: { rateLimit: 200, burstLimit: 400 },
    schedules: [paymentReminderSchedule],
  },
};

/** The names `loadStage` accepts. */
export const knownStages: readonly string[] = Object.keys(stages);

/** Returns the validated config of a defined stage; throws naming the known stages or the invalid fields. */
export function loadStage(name: string): StageConfig {
  const input = Object.hasOwn(stages, name) ? stages[name] : undefined;
  if (input === undefined) {
    throw new Error(
      `Unknown stage "${name}". Known stages: ${knownStages.join(', ')} (defined in infra/stages.ts).`,
    );
  }
  // The name ends up in every resource name (Lambda names max 64 characters): short, lower-case.
  if (!/^[a-z][a-z0-9]{0,15}$/.test(name)) {
    throw new Error(
      `Stage name "${name}" must be 1–16 lower-case letters or digits, starting with a letter.`,
    );
  }
  const parsed = ValidStageConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`Stage "${name}" in infra/stages.ts is invalid: ${z.prettifyError(parsed.error)}`);
  }
  return { ...parsed.data, name };
}
