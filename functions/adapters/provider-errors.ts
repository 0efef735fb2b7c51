/**
 * What an SES v2 or SNS error means for a send, decided from the SDK error's name and HTTP status
 * only: provider messages can quote the recipient's address, so they are never read or kept.
 *
 * - `throttled` / `unavailable`: the provider answered and did not accept the message. Safe to
 *   release the claim and retry (Step Functions `Retry` on the named error, backoff and jitter).
 * - `permanent`: the provider answered and will not accept it, now or on a retry (invalid address,
 *   opted out at the provider, rejected, account not allowed to send). The step ends with the
 *   reason and the journey tries the supporting channel.
 * - `unknown`: no answer (connection reset, timeout): the provider may have accepted it. Never
 *   retried, so never sent twice.
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
  | { kind: 'unknown'; code: string };

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
const INVALID_ADDRESS: Record<Channel, Set<string>> = {
  email: new Set(['BadRequestException']),
  sms: new Set(['InvalidParameterException', 'InvalidParameterValueException', 'ValidationException']),
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
]);

interface SdkErrorShape {
  name?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: { throttling?: unknown };
}

/** Returns how a send failure should be handled; see the module comment. */
export function classifyProviderError(channel: Channel, error: unknown): ProviderFailure {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const code =
    typeof shape.name === 'string' && /^[A-Za-z0-9.]{1,64}$/.test(shape.name) ? shape.name : 'Error';
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : 0;
  const provider = channel === 'email' ? 'SES' : 'SNS';

  if (THROTTLING.has(code) || shape.$retryable?.throttling === true || status === 429) {
    return { kind: 'throttled', code };
  }
  // No HTTP status: the request may have reached the provider and been accepted.
  if (status === 0) return { kind: 'unknown', code };
  if (status >= 500) return { kind: 'unavailable', code };
  if (OPTED_OUT.has(code)) {
    return {
      kind: 'permanent',
      code,
      reason: `${channel} refused by ${provider}: opted out at the provider`,
      suppress: 'opted-out',
    };
  }
  if (INVALID_ADDRESS[channel].has(code)) {
    return {
      kind: 'permanent',
      code,
      reason: `${channel} refused by ${provider}: invalid address or request (${code})`,
    };
  }
  if (ACCOUNT.has(code)) {
    return {
      kind: 'permanent',
      code,
      reason: `${channel} refused by ${provider}: account cannot send (${code})`,
    };
  }
  return { kind: 'permanent', code, reason: `${channel} refused by ${provider}: rejected (${code})` };
}
