import { describe, expect, it } from 'vitest';
import { emptyCounts, type ResultRow } from '#core/results.ts';
import { ResultsReportSchema } from '#core/results-report-schema.ts';
import { makeHandler } from '#handlers/get-journey-results.ts';
import { httpEvent, lambdaContext, viewer } from '../../fixtures/lambda.ts';

const row = (arm: string, planned: number, goalReached: number): ResultRow => ({
  journeyId: 'payment-reminder',
  stepId: 'first-reminder',
  segment: 'default',
  channel: 'email',
  variant: 'friendly',
  locale: 'nl',
  experimentId: 'tone',
  arm,
  day: '2026-12-02',
  counts: { ...emptyCounts(), planned, goalReached },
  skippedBy: {},
  costMicroUsd: { delivery: 1000 * planned, orchestration: 0 },
  goalDays: { '3': goalReached },
});

function setup(retentionDays = 400) {
  const reads: Array<[string, string, string]> = [];
  const handler = makeHandler({
    results: {
      readResults: async (journeyId, from, to) => {
        reads.push([journeyId, from, to]);
        return [row('control', 40, 10), row('b', 40, 20)];
      },
    },
    journeyIds: ['payment-reminder', 'onboarding'],
    resultsRetentionDays: retentionDays,
  });
  const get = async (
    journeyId: string,
    queryStringParameters: Record<string, string>,
    caller: Parameters<typeof httpEvent>[0]['caller'] = 'iam',
  ) => {
    const result = await handler(
      httpEvent({ pathParameters: { journeyId }, queryStringParameters, caller }),
      lambdaContext,
    );
    return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') };
  };
  return { get, reads };
}

const fieldsOf = (body: { issues?: Array<{ path: string }> }) => (body.issues ?? []).map((i) => i.path);

describe('GET /journeys/{journeyId}/results', () => {
  it('answers the report of the window, read through the results port', async () => {
    const { get, reads } = setup();
    const { status, body } = await get('payment-reminder', {
      from: '2026-12-01',
      to: '2026-12-31',
      by: 'step,arm',
    });
    expect(status).toBe(200);
    expect(reads).toEqual([['payment-reminder', '2026-12-01', '2026-12-31']]);
    const report = ResultsReportSchema.parse(body);
    expect(report.by).toEqual(['step', 'arm']);
    expect(report.groups.map((g) => g.key.arm)).toEqual(['b', 'control']);
    expect(report.experiments[0]?.arms.map((a) => [a.arm, a.conversion])).toEqual([
      ['control', 0.25],
      ['b', 0.5],
    ]);
    expect(report.method.minimumDetectableEffect).toBe(0.05);
  });

  it('groups by step and takes the minimum effect it is given', async () => {
    const { body } = await setup().get('payment-reminder', {
      from: '2026-12-01',
      to: '2026-12-01',
      mde: '0.2',
    });
    expect(body.by).toEqual(['step']);
    expect(body.method.minimumDetectableEffect).toBe(0.2);
  });

  it('refuses from after to, naming from', async () => {
    const { get, reads } = setup();
    const { status, body } = await get('payment-reminder', { from: '2026-12-02', to: '2026-12-01' });
    expect(status).toBe(400);
    expect(fieldsOf(body)).toEqual(['from']);
    expect(reads).toEqual([]);
  });

  it('refuses a window longer than the results retention, naming from', async () => {
    const { get } = setup(30);
    expect((await get('payment-reminder', { from: '2026-12-01', to: '2026-12-30' })).status).toBe(200);
    const { status, body } = await get('payment-reminder', { from: '2026-12-01', to: '2026-12-31' });
    expect(status).toBe(400);
    expect(fieldsOf(body)).toEqual(['from']);
    expect(body.issues[0].message).toContain('31 days');
  });

  it('refuses a window longer than the default retention of 400 days', async () => {
    const { status, body } = await setup().get('payment-reminder', { from: '2025-01-01', to: '2026-02-05' });
    expect(status).toBe(400);
    expect(fieldsOf(body)).toEqual(['from']);
  });

  it('refuses an unknown by dimension, naming by', async () => {
    const { status, body } = await setup().get('payment-reminder', {
      from: '2026-12-01',
      to: '2026-12-02',
      by: 'step,colour',
    });
    expect(status).toBe(400);
    expect(fieldsOf(body)).toEqual(['by']);
    expect(body.issues[0].message).toContain('segment');
  });

  it('refuses missing or malformed days and an effect outside (0, 1), naming each field', async () => {
    const { get } = setup();
    expect(fieldsOf((await get('payment-reminder', {})).body).sort()).toEqual(['from', 'to']);
    expect(fieldsOf((await get('payment-reminder', { from: '2026-02-30', to: '2026-03-01' })).body)).toEqual([
      'from',
    ]);
    expect(fieldsOf((await get('payment-reminder', { from: '2026-13-01', to: '2026-12-01' })).body)).toEqual([
      'from',
    ]);
    expect(fieldsOf((await get('payment-reminder', { from: '2026-12-01', to: '12/31/2026' })).body)).toEqual([
      'to',
    ]);
    expect(
      fieldsOf((await get('payment-reminder', { from: '2026-12-01', to: '2026-12-02', mde: '1.5' })).body),
    ).toEqual(['mde']);
  });

  it('answers a console viewer and refuses a console user without a role', async () => {
    const { get } = setup();
    const window = { from: '2026-12-01', to: '2026-12-02' };
    expect((await get('payment-reminder', window, viewer)).status).toBe(200);
    expect((await get('payment-reminder', window, { username: 'nora-norole', groups: [] })).status).toBe(403);
  });

  it('answers 404 for a journey the stage does not have', async () => {
    const { get, reads } = setup();
    const { status, body } = await get('no-such-journey', { from: '2026-12-01', to: '2026-12-02' });
    expect(status).toBe(404);
    expect(body.error).toBe('journey not found');
    expect(reads).toEqual([]);
  });
});
