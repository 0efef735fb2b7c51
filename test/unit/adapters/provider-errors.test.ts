import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { describe, expect, it } from 'vitest';
import { classifyProviderError } from '#adapters/provider-errors.ts';

const sdkError = (name: string, httpStatusCode?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('jan@example.nl is not verified'), {
    name,
    ...(httpStatusCode ? { $metadata: { httpStatusCode } } : { $metadata: {} }),
    ...extra,
  });

describe('classifyProviderError', () => {
  it.each([
    ['email', 'TooManyRequestsException', 429],
    ['email', 'LimitExceededException', 400],
    ['sms', 'ThrottledException', 400],
    ['sms', 'Throttling', 400],
  ] as const)('retries %s %s as throttled', (channel, name, status) => {
    expect(classifyProviderError(channel, sdkError(name, status))).toEqual({ kind: 'throttled', code: name });
  });

  it('treats an error the SDK marks as throttling as throttled whatever its name', () => {
    expect(
      classifyProviderError('sms', sdkError('Odd', 400, { $retryable: { throttling: true } })).kind,
    ).toBe('throttled');
  });

  it.each([
    ['email', 'InternalServiceErrorException', 500],
    ['sms', 'InternalErrorException', 500],
    ['email', 'ServiceUnavailable', 503],
  ] as const)(
    'retries %s %s as unavailable (the provider answered: nothing was sent)',
    (channel, name, status) => {
      expect(classifyProviderError(channel, sdkError(name, status)).kind).toBe('unavailable');
    },
  );

  it('never retries when the provider gave no answer once connected: it may have accepted the message', () => {
    expect(classifyProviderError('email', sdkError('TimeoutError'))).toEqual({
      kind: 'maybe-sent',
      code: 'TimeoutError',
    });
    expect(classifyProviderError('sms', new Error('socket hang up'))).toEqual({
      kind: 'maybe-sent',
      code: 'Error',
    });
    expect(classifyProviderError('email', 'not even an error').kind).toBe('maybe-sent');
  });

  it('ends the step on refusals, suppressing only an address opted out at the provider', () => {
    expect(classifyProviderError('sms', sdkError('OptedOutException', 400))).toEqual({
      kind: 'permanent',
      code: 'OptedOutException',
      reason: 'sms refused by SNS: opted out at the provider',
      suppress: 'opted-out',
    });
    for (const [channel, name] of [
      ['email', 'MessageRejected'],
      ['email', 'BadRequestException'],
      ['email', 'SendingPausedException'],
      ['email', 'AccountSuspendedException'],
      ['sms', 'InvalidParameterException'],
      ['sms', 'AuthorizationErrorException'],
    ] as const) {
      const failure = classifyProviderError(channel, sdkError(name, 400));
      expect(failure.kind, name).toBe('permanent');
      expect(failure).not.toHaveProperty('suppress');
      expect(failure.kind === 'permanent' && failure.reason).toContain(name);
    }
  });

  it('keeps the provider’s message (which may quote the address) out of the reason', () => {
    const failure = classifyProviderError('email', sdkError('MessageRejected', 400));
    expect(JSON.stringify(failure)).not.toContain('jan@example.nl');
  });

  describe('End User Messaging SMS errors (the SDK’s own exception classes)', () => {
    const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode }, message: 'to +31612345678' });
    it.each([
      ['ThrottlingException', new ThrottlingException(meta(400)), 'throttled', undefined],
      [
        'ServiceQuotaExceededException, a daily cap',
        new ServiceQuotaExceededException({ ...meta(402), Reason: 'DAILY_DESTINATION_CALL_LIMIT' }),
        'throttled',
        undefined,
      ],
      [
        'ServiceQuotaExceededException, the month’s spend',
        new ServiceQuotaExceededException({ ...meta(402), Reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT' }),
        'permanent',
        'account cannot send',
      ],
      [
        'ConflictException, destination opted out',
        new ConflictException({ ...meta(400), Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT' }),
        'permanent',
        'opted out at the provider',
      ],
      [
        'ConflictException, identity not active',
        new ConflictException({ ...meta(400), Reason: 'RESOURCE_NOT_ACTIVE' }),
        'permanent',
        'invalid address or request',
      ],
      [
        'ValidationException',
        new ValidationException({ ...meta(400), Reason: 'INVALID_PARAMETER' }),
        'permanent',
        'invalid address or request',
      ],
      ['AccessDeniedException', new AccessDeniedException(meta(403)), 'permanent', 'account cannot send'],
      [
        'ResourceNotFoundException',
        new ResourceNotFoundException(meta(404)),
        'permanent',
        'account cannot send',
      ],
      ['InternalServerException', new InternalServerException(meta(500)), 'unavailable', undefined],
    ] as const)('%s → %s', (_, error, kind, reason) => {
      const failure = classifyProviderError('sms', error, 'End User Messaging SMS');
      expect(failure.kind).toBe(kind);
      if (reason) {
        expect(failure.kind === 'permanent' && failure.reason).toContain(
          `refused by End User Messaging SMS: ${reason}`,
        );
      }
      expect(JSON.stringify(failure)).not.toContain('+31612345678');
    });

    it('suppresses only the number End User Messaging says opted out', () => {
      const optedOut = new ConflictException({ ...meta(400), Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT' });
      const inactive = new ConflictException({ ...meta(400), Reason: 'RESOURCE_NOT_ACTIVE' });
      expect(classifyProviderError('sms', optedOut)).toMatchObject({ suppress: 'opted-out' });
      expect(classifyProviderError('sms', inactive)).not.toHaveProperty('suppress');
    });
  });
});
