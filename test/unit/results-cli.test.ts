import { describe, expect, it } from 'vitest';
import { emptyCounts, type ResultRow } from '#core/results.ts';
import { makeHandler } from '#handlers/get-journey-results.ts';
import { runResults } from '#infra/cli/results.ts';
import { httpEvent, lambdaContext } from '../fixtures/lambda.ts';

const row = (
  arm: string,
  planned: number,
  goalReached: number,
  channel: 'email' | 'sms' = 'email',
): ResultRow => ({
  journeyId: 'payment-reminder',
  stepId: 'first-reminder',
  segment: 'default',
  channel,
  variant: arm === 'b' ? 'firm' : 'friendly',
  locale: 'nl',
  experimentId: 'first-reminder-text',
  arm,
  day: '2026-12-02',
  counts: { ...emptyCounts(), planned, sent: planned, goalReached },
  skippedBy: {},
  costMicroUsd: { delivery: 1_000 * planned, orchestration: 100 * planned },
  goalDays: { '4': goalReached },
});

const handler = makeHandler({
  results: { readResults: async () => [row('control', 1500, 375), row('b', 1500, 675, 'sms')] },
  journeyIds: ['payment-reminder'],
  resultsRetentionDays: 400,
});

/** The CLI's requests answered by the handler itself, as the local API would, with the token checked. */
async function apiFetch(url: string, init: { headers: Record<string, string> }): Promise<Response> {
  if (init.headers.authorization !== 'Bearer dev-token')
    return new Response('{"error":"unauthorized"}', { status: 401 });
  const parsed = new URL(url);
  const journeyId = /^\/journeys\/([^/]+)\/results$/.exec(parsed.pathname)?.[1] ?? '';
  const result = await handler(
    httpEvent({
      pathParameters: { journeyId },
      queryStringParameters: Object.fromEntries(parsed.searchParams),
    }),
    lambdaContext,
  );
  return new Response(result.body ?? '', { status: result.statusCode ?? 200 });
}

async function run(argv: string[], env: NodeJS.ProcessEnv = { KLANTREIS_DEV_TOKEN: 'dev-token' }) {
  const out: string[] = [];
  const err: string[] = [];
  const seen: string[] = [];
  const code = await runResults(
    argv,
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    {
      env,
      fetch: (url, init) => {
        seen.push(url);
        return apiFetch(url, init);
      },
    },
  );
  return { code, out: out.join('\n'), err: err.join('\n'), seen };
}

const window = ['--journey', 'payment-reminder', '--from', '2026-12-01', '--to', '2026-12-31'];

describe('klantreis results', () => {
  it('asks the local runtime’s API by default, with the development token', async () => {
    const { code, seen } = await run([...window, '--json'], {
      KLANTREIS_DEV_TOKEN: 'dev-token',
      KLANTREIS_PORT_BASE: '4310',
    });
    expect(code).toBe(0);
    expect(seen).toEqual([
      'http://127.0.0.1:4310/journeys/payment-reminder/results?from=2026-12-01&to=2026-12-31',
    ]);
  });

  it('asks the API it is given, passing by and mde', async () => {
    const { seen } = await run(
      [
        ...window,
        '--api',
        'https://api.example.com/',
        '--by',
        'step,channel',
        '--mde',
        '0.1',
        '--token',
        'dev-token',
        '--json',
      ],
      {},
    );
    expect(seen).toEqual([
      'https://api.example.com/journeys/payment-reminder/results?from=2026-12-01&to=2026-12-31&by=step%2Cchannel&mde=0.1',
    ]);
  });

  it('prints the report as the API answers it with --json', async () => {
    const { code, out } = await run([...window, '--json', '--by', 'arm']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.groups.map((g: { key: { arm: string } }) => g.key.arm)).toEqual(['b', 'control']);
    expect(
      report.experiments[0].arms.map((a: { arm: string; conversion: number }) => [a.arm, a.conversion]),
    ).toEqual([
      ['control', 0.25],
      ['b', 0.45],
    ]);
  });

  it('prints the funnel as CSV with --csv, and the arms with --csv --arms', async () => {
    const funnel = (await run([...window, '--csv', '--by', 'channel'])).out.split('\n');
    expect(funnel[0]).toBe(
      'channel,planned,skipped,sent,delivered,bounced,opened,clicked,replied,optedOut,complained,goalReached,handedOver,unreachable,completedWithoutGoal,' +
        'emailDelivered,emailOpened,emailClicked,emailReplied,emailOpenRate,emailClickRate,emailReplyRate,' +
        'smsDelivered,smsClicked,smsReplied,smsClickRate,smsReplyRate,' +
        'costDeliveryUsd,costOrchestrationUsd,costTotalUsd,costPerGoalUsd,medianDaysToGoal,medianDaysToGoalOrMore',
    );
    // Nothing delivered in this report: every engagement count 0 and every rate empty.
    expect(funnel.slice(1)).toEqual([
      'email,1500,0,1500,0,0,0,0,0,0,0,375,0,0,0,0,0,0,0,,,,0,0,0,,,1.5,0.15,1.65,0.0044,4,false',
      'sms,1500,0,1500,0,0,0,0,0,0,0,675,0,0,0,0,0,0,0,,,,0,0,0,,,1.5,0.15,1.65,0.0024444444444444444,4,false',
    ]);
    const arms = (await run([...window, '--csv', '--arms'])).out.split('\n');
    expect(arms[0]?.split(',').slice(0, 7)).toEqual([
      'experimentId',
      'stepId',
      'requiredPerArm',
      'arm',
      'planned',
      'goalReached',
      'conversion',
    ]);
    expect(arms[1]?.split(',').slice(3, 7)).toEqual(['control', '1500', '375', '0.25']);
    expect(arms[2]?.split(',')).toContain('better');
  });

  it('prints a readable table by default: the funnel and the arms with interval, verdict and cost per goal', async () => {
    const { code, out } = await run(window);
    expect(code).toBe(0);
    expect(out).toContain('Results of payment-reminder, 2026-12-01 to 2026-12-31');
    expect(out).toContain('Experiment first-reminder-text at step first-reminder');
    const b = out.split('\n').find((line) => line.startsWith('b '));
    expect(b).toMatch(
      /^b\s+1500\s+675\s+45\.0%\s+42\.5%–47\.5%\s+\+20\.0 pt\s+<0\.001\s+better\s+4\s+\$0\.0024$/,
    );
  });

  it('names the fields the API refuses, and exits 1', async () => {
    const { code, err } = await run([
      '--journey',
      'payment-reminder',
      '--from',
      '2026-12-31',
      '--to',
      '2026-12-01',
    ]);
    expect(code).toBe(1);
    expect(err).toContain('the API answered 400');
    expect(err).toContain('from: 2026-12-31 is after to');
  });

  it('says how to pass the token when the API wants one', async () => {
    const { code, err } = await run(window, {});
    expect(code).toBe(1);
    expect(err).toContain('KLANTREIS_DEV_TOKEN');
  });

  it('refuses missing or conflicting arguments with exit code 2', async () => {
    expect((await run(['--journey', 'payment-reminder', '--from', '2026-12-01'])).code).toBe(2);
    expect((await run([...window, '--json', '--csv'])).code).toBe(2);
    expect((await run([...window, '--colour'])).code).toBe(2);
  });

  it('says where it could not reach the API', async () => {
    const err: string[] = [];
    const code = await runResults(
      window,
      { out: () => {}, err: (t) => err.push(t) },
      {
        env: {},
        fetch: async () => {
          throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
        },
      },
    );
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('cannot reach the API at http://127.0.0.1:4010 (ECONNREFUSED)');
  });

  describe('--stage: a deployed stage’s table read directly', () => {
    async function runStage(argv: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const tables: string[] = [];
      const reads: string[][] = [];
      const code = await runResults(
        argv,
        { out: (t) => out.push(t), err: (t) => err.push(t) },
        {
          env: {},
          fetch: async () => {
            throw new Error('--stage asks no API');
          },
          readerFor: async (stage) => {
            tables.push(`${stage.name}/${stage.region}`);
            return {
              readResults: async (journeyId, from, to) => {
                reads.push([journeyId, from, to]);
                return [row('control', 1500, 375), row('b', 1500, 675, 'sms')];
              },
            };
          },
        },
      );
      return { code, out: out.join('\n'), err: err.join('\n'), tables, reads };
    }

    it('builds the same report from the stage’s aggregates', async () => {
      const { code, out, tables, reads } = await runStage([
        ...window,
        '--stage',
        'prod',
        '--json',
        '--by',
        'arm',
      ]);
      expect(code).toBe(0);
      expect(tables).toHaveLength(1);
      expect(tables[0]).toMatch(/^prod\//);
      expect(reads).toEqual([['payment-reminder', '2026-12-01', '2026-12-31']]);
      const viaApi = JSON.parse((await run([...window, '--json', '--by', 'arm'])).out);
      expect(JSON.parse(out)).toEqual(viaApi);
    });

    it('refuses as the API does, naming the argument, and reads nothing', async () => {
      const reversed = await runStage([
        '--journey',
        'payment-reminder',
        '--from',
        '2026-12-31',
        '--to',
        '2026-12-01',
        '--stage',
        'prod',
      ]);
      expect(reversed.code).toBe(2);
      expect(reversed.err).toContain('--from: 2026-12-31 is after to');
      const tooLong = await runStage([
        '--journey',
        'payment-reminder',
        '--from',
        '2025-01-01',
        '--to',
        '2026-12-01',
        '--stage',
        'prod',
      ]);
      expect(tooLong.err).toContain('results are kept 400 days');
      const unknown = await runStage([
        '--journey',
        'nope',
        '--from',
        '2026-12-01',
        '--to',
        '2026-12-02',
        '--stage',
        'prod',
      ]);
      expect(unknown.err).toContain('unknown journey nope');
      const stage = await runStage([...window, '--stage', 'nowhere']);
      expect(stage.err).toContain('Unknown stage "nowhere"');
      for (const refused of [reversed, tooLong, unknown, stage]) expect(refused.reads).toEqual([]);
      expect((await runStage([...window, '--stage', 'prod', '--api', 'https://api.example.com'])).code).toBe(
        2,
      );
    });
  });
});
