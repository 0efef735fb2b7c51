/**
 * What an SES v2, SNS or End User Messaging SMS error means for a send, decided from the SDK error's
 * name, HTTP status and (End User Messaging) its `Reason` code only: provider messages can quote the
 * recipient's address, so they are never read or kept.
 *
 * - `throttled` / `unavailable`: the provider answered and did not accept the message. Safe to
 *   release the claim and retry (Step Functions `Retry` on the named error, backoff and jitter).
 * - `permanent`: the provider answered and will not accept it, now or on a retry (invalid address,
 *   opted out at the provider, rejected, account not allowed to send). The step ends with the
 *   reason and the journey tries the supporting channel.
 * - `not-sent`: the request never left this process, so the provider cannot have accepted it: no
 *   connection was had (refused, the name did not resolve, unreachable) or none within the client's
 *   `connectionTimeout`, which also covers the wait for a socket when every socket of the client is
 *   busy (`client-config.ts` keeps that timeout below the request timeout, so a queued request is
 *   always reported this way). Safe to release the claim and retry, as throttling is.
 * - `maybe-sent`: connected, then no answer (the request timeout, the socket idle, the connection
 *   reset): the provider may have accepted it. Never resent blindly: the send step reconciles it
 *   with the provider's events (see `send-step.ts`).
 */
import type { Channel } from '#core/customer.ts';

export type ProviderFailure =
  | { kind: 'throttled'; code: string }
  | { kind: 'unavailable'; code: string }
  | {
      kind: 'permanent';
      code: string;
      reason: string;
      /**
       * Set when the provider says the recipient opted out, so later journeys skip the address.
       * Invalid-request errors do not suppress: SES and SNS use the same error for a bad address and
       * for bad content or parameters, and a wrongly suppressed address is hard to notice.
       */
      suppress?: 'opted-out';
    }
  | { kind: 'not-sent'; code: string }
  | { kind: 'maybe-sent'; code: string };

const THROTTLING = new Set([
  // SES v2
  'TooManyRequestsException',
  'LimitExceededException',
  // SNS
  'ThrottledException',
  'KMSThrottlingException',
  // generic AWS
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'SlowDown',
]);

const OPTED_OUT = new Set(['OptedOutException']);
/** End User Messaging SMS `ConflictException` reasons that mean the recipient opted out. */
const OPTED_OUT_REASONS = new Set(['DESTINATION_PHONE_NUMBER_OPTED_OUT']);
/**
 * End User Messaging SMS `ServiceQuotaExceededException` reasons that do not pass within a journey's
 * retries: the month's SMS budget is spent. Any other quota reason is treated as throttling.
 */
const SPENT_QUOTA_REASONS = /^MONTHLY_SPEND_LIMIT_REACHED/;
const INVALID_ADDRESS: Record<Channel, Set<string>> = {
  email: new Set(['BadRequestException']),
  sms: new Set([
    'InvalidParameterException',
    'InvalidParameterValueException',
    'ValidationException',
    // End User Messaging SMS: the request does not fit the state of the account or destination.
    'ConflictException',
  ]),
  // The letters port records a letter to post: no address of it is refused by a provider there.
  letter: new Set(),
  // The call-task port queues a call for the contact centre: no number is refused there.
  phone: new Set(),
};
const ACCOUNT = new Set([
  'AccountSuspendedException',
  'SendingPausedException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
  'AuthorizationErrorException',
  'AccessDeniedException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  // End User Messaging SMS: the origination identity or configuration set is missing.
  'ResourceNotFoundException',
]);

/** Node's codes for a connection that was never made: nothing was written. */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);
/** The system calls that fail before a request is written: resolving the name and connecting. */
const BEFORE_WRITE_SYSCALLS = new Set(['connect', 'getaddrinfo']);
/** @smithy/node-http-handler's `connectionTimeout` error: no socket connected (queued or connecting). */
const CONNECTION_TIMEOUT = /did not establish a connection with the server/;

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  syscall?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: { throttling?: unknown };
  /** End User Messaging SMS: an enum code such as `DESTINATION_PHONE_NUMBER_OPTED_OUT`. */
  Reason?: unknown;
}

/**
 * Returns how a send failure should be handled; see the module comment. `provider` names the
 * provider in the reason (default: SES for email, SNS for SMS).
 */
export function classifyProviderError(channel: Channel, error: unknown, provider?: string): ProviderFailure {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name =
    typeof shape.name === 'string' && /^[A-Za-z0-9.]{1,64}$/.test(shape.name) ? shape.name : 'Error';
  const reasonCode =
    typeof shape.Reason === 'string' && /^[A-Z0-9_]{1,64}$/.test(shape.Reason) ? shape.Reason : undefined;
  const code = reasonCode ? `${name}:${reasonCode}` : name;
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : 0;
  const by = provider ?? (channel === 'email' ? 'SES' : 'SNS');

  if (name === 'ServiceQuotaExceededException' && reasonCode && SPENT_QUOTA_REASONS.test(reasonCode)) {
    return {
      kind: 'permanent',
      code,
      reason: `${channel} refused by ${by}: account cannot send (${code})`,
    };
  }
  if (
    THROTTLING.has(name) ||
    name === 'ServiceQuotaExceededException' ||
    shape.$retryable?.throttling === true ||
    status === 429
  ) {
    return { kind: 'throttled', code };
  }
  if (status === 0) {
    const nodeCode = typeof shape.code === 'string' ? shape.code : '';
    const connectionTimeout =
      code === 'TimeoutError' && typeof shape.message === 'string' && CONNECTION_TIMEOUT.test(shape.message);
    const neverLeft =
      connectionTimeout ||
      NEVER_CONNECTED.has(nodeCode) ||
      (typeof shape.syscall === 'string' && BEFORE_WRITE_SYSCALLS.has(shape.syscall));
    const detail = /^[A-Z_]{1,32}$/.test(nodeCode)
      ? `${code}:${nodeCode}`
      : connectionTimeout
        ? `${code}:connection`
        : code;
    // No HTTP status and connected: the request may have reached the provider and been accepted.
    return { kind: neverLeft ? 'not-sent' : 'maybe-sent', code: detail };
  }
  if (status >= 500) return { kind: 'unavailable', code };
  if (OPTED_OUT.has(name) || (reasonCode && OPTED_OUT_REASONS.has(reasonCode))) {
    return {
      kind: 'permanent',
      code,
      reason: `${channel} refused by ${by}: opted out at the provider`,
      suppress: 'opted-out',
    };
  }
  if (INVALID_ADDRESS[channel].has(name)) {
    return {
      kind: 'permanent',
      code,
      reason: `${channel} refused by ${by}: invalid address or request (${code})`,
    };
  }
  if (ACCOUNT.has(name)) {
    return {
      kind: 'permanent',
      code,
      reason: `${channel} refused by ${by}: account cannot send (${code})`,
    };
  }
  return { kind: 'permanent', code, reason: `${channel} refused by ${by}: rejected (${code})` };
}
