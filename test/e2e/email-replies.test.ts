/**
 * Email replies end to end on the local runtime: the payment reminder's email carries a signed
 * reply address; the customer's answer (quoting the reminder) goes to it through the local stand-in
 * for SES receiving (`POST /local/email-replies`) and lands in her conversation on that message,
 * with only what she wrote, on the hand-over desk, as her `email.replied` behaviour event and as a
 * `replied` in the journey's results. A tampered address records nothing, and a `From` naming
 * another customer changes nothing about whose reply it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { TimelineEntry } from '#core/ports.ts';
import { ResultsReportSchema } from '#core/results-report-schema.ts';
import { runResults } from '#infra/cli/results.ts';
import { callApi, demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import { demoCustomer } from '#infra/local/demo-customers.ts';
import { LOCAL_REPLY_DOMAIN, type LocalStack } from '#infra/local/runtime.ts';
import { customerViews, runsOf, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const { region: _region, ...jonas } = demoCustomer('c-1010');
// Email first for the reminder, in Dutch.
const eva: CustomerProfile = {
  ...jonas,
  id: 'c-2001',
  name: { given: 'Eva', family: 'Jansen' },
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  email: 'eva.jansen@example.nl',
  phone: '+31612345001',
};
const noor: CustomerProfile = {
  ...eva,
  id: 'c-2002',
  email: 'noor.bakker@example.nl',
  phone: '+31612345002',
};

const DAY = 86_400_000;
const OWN_TEXT = 'Ik heb de factuur gisteren betaald, kunt u dat controleren?';
const replyText = (quoted: string) =>
  `${OWN_TEXT}\n\nOp di 1 dec. 2026 om 10:32 schreef Klantreis:\n${quoted
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n')}\n`;

let stack: LocalStack;
const { executionOf } = customerViews(() => stack);
let replyTo: string;
let emailText: string;
const answers: Record<string, { status: number; body: Record<string, unknown> }> = {};
const timelines: Record<string, TimelineEntry[]> = {};

async function reply(to: string, from: string, text: string) {
  return callApi(stack, 'POST', '/local/email-replies', { to, from, text, subject: 'Re: uw factuur' });
}

beforeAll(async () => {
  stack = await startE2eStack();
  const held = stack.engine.pauseAt('WaitForSecondReminder', runsOf(eva));
  await seedCustomers(stack, [eva, noor]);
  expect((await startPaymentReminder(stack, eva.id, demoInvoice(eva, 0, simulationStart))).status).toBe(201);
  await held.reached(executionOf(eva));
  const email = (await stack.ses.listEmails()).find((e) => e.customerId === eva.id);
  replyTo = email?.replyTo[0] ?? '';
  emailText = email?.text ?? '';

  const [local = '', domain = ''] = replyTo.split('@');
  const token = local.slice('reply+'.length);
  const tampered = `reply+${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}@${domain}`;
  answers.tampered = await reply(tampered, eva.email as string, replyText(emailText));
  timelines.afterTampered = await stack.repository.listTimeline(eva.id, 100);
  // Sent from Noor's address, to Eva's reply address: it is Eva's reply to Eva's message.
  answers.reply = await reply(replyTo, `Noor Bakker <${noor.email}>`, replyText(emailText));
  timelines.eva = await stack.repository.listTimeline(eva.id, 100);
  timelines.noor = await stack.repository.listTimeline(noor.id, 100);
  held.release();
  await stack.engine.whenIdle();
});

afterAll(async () => {
  await stack?.stop();
});

describe('email replies', () => {
  it('the reminder’s email carries a signed reply address on the inbound domain', () => {
    expect(replyTo).toMatch(
      new RegExp(`^reply\\+[A-Za-z0-9_-]{20,58}@${LOCAL_REPLY_DOMAIN.replaceAll('.', '\\.')}$`),
    );
    expect(replyTo.split('@')[0]?.length).toBeLessThanOrEqual(64);
  });

  it('a tampered reply address records nothing', () => {
    expect(answers.tampered?.body).toEqual({ handled: ['rejected'] });
    expect(timelines.afterTampered?.some((e) => e.kind === 'reply')).toBe(false);
  });

  it('the reply lands in her conversation on the message it answers, with only her own text', () => {
    expect(answers.reply?.body).toEqual({ handled: ['reply'] });
    const message = timelines.eva?.find(
      (e) => e.kind === 'message' && e.channel === 'email' && e.outcome === 'sent',
    );
    const replies = timelines.eva?.filter((e) => e.kind === 'reply') ?? [];
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      channel: 'email',
      outcome: 'escalated',
      runId: message?.runId,
      stepId: message?.stepId,
      journeyId: 'payment-reminder',
      locale: message?.locale,
      body: { text: OWN_TEXT },
    });
    expect(emailText.length).toBeGreaterThan(0);
  });

  it('hands her reply to a person, as an SMS reply is', async () => {
    const handOver = stack.handOvers.events().find((h) => h.customerId === eva.id && h.reason === 'reply');
    expect(handOver).toMatchObject({ journeyId: 'payment-reminder', runId: replies()[0]?.runId });
    const inbox = await callApi(stack, 'GET', '/hand-overs?status=open&reason=reply');
    expect(JSON.stringify(inbox.body)).toContain(eva.id);
  });

  it('records her reply as an email.replied behaviour event, once', async () => {
    const events = await stack.repository.listEvents(eva.id, new Date(simulationStart.getTime() - DAY));
    expect(events.filter((e) => e.type === 'email.replied')).toHaveLength(1);
    const noorEvents = await stack.repository.listEvents(noor.id, new Date(simulationStart.getTime() - DAY));
    expect(noorEvents.some((e) => e.type === 'email.replied')).toBe(false);
  });

  it('counts her reply as replied for the email it answers, in the results report and `npx klantreis results`', async () => {
    const from = simulationStart.toISOString().slice(0, 10);
    const to = new Date(simulationStart.getTime() + 90 * DAY).toISOString().slice(0, 10);
    const answer = await callApi(
      stack,
      'GET',
      `/journeys/payment-reminder/results?from=${from}&to=${to}&by=step,channel`,
    );
    expect(answer.status).toBe(200);
    const report = ResultsReportSchema.parse(answer.body);
    const answered = report.groups.find(
      (g) => g.key.step === replies()[0]?.stepId && g.key.channel === 'email',
    );
    expect(answered?.counts.replied).toBe(1);
    expect(answered?.engagement.email.replied).toBe(1);
    expect(report.totals.counts.replied).toBe(1);

    const out: string[] = [];
    const args = ['--journey', 'payment-reminder', '--from', from, '--to', to, '--by', 'step,channel'];
    const printed = { out: (t: string) => out.push(t), err: (t: string) => out.push(`error: ${t}`) };
    expect(
      await runResults([...args, '--api', stack.apiUrl, '--token', stack.apiToken, '--csv'], printed, {
        env: {},
      }),
    ).toBe(0);
    const [header = '', ...rows] = (out.pop() ?? '').split('\n');
    const column = header.split(',').indexOf('replied');
    const row = rows.find((r) => r.startsWith(`${replies()[0]?.stepId},email,`));
    expect(row?.split(',')[column]).toBe('1');
  });

  it('a From header naming another customer changes nothing: nothing is recorded for her', () => {
    expect(timelines.noor?.some((e) => e.kind === 'reply')).toBe(false);
    expect(stack.handOvers.events().some((h) => h.customerId === noor.id)).toBe(false);
    expect(stack.rawMail.size).toBe(0);
  });
});

function replies(): TimelineEntry[] {
  return timelines.eva?.filter((e) => e.kind === 'reply') ?? [];
}
