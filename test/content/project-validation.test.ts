/**
 * The one content validation over the shipped content, and each mistake a newcomer makes, written
 * into a copy of the content in a temporary folder: refused with the file, the place and the field.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { contentReport, formatIssue } from '#infra/content/content-issue.ts';
import { validateContentFiles, validateProjectContent } from '#infra/content/validate-content.ts';
import { validateJourneyDefinition } from '#infra/content/validate-journey.ts';

const REMINDER = 'statemachines/payment-reminder.journey.json';

const copies: string[] = [];
afterAll(() => {
  for (const root of copies) rmSync(root, { recursive: true, force: true });
});

/** Returns a copy of the repository's journeys and templates to break on purpose (removed after the file). */
function contentCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'klantreis-content-'));
  copies.push(root);
  cpSync(join(repoRoot, 'statemachines'), join(root, 'statemachines'), { recursive: true });
  cpSync(join(repoRoot, 'templates'), join(root, 'templates'), { recursive: true });
  return root;
}

/** Changes a JSON file of the copy in place. */
// biome-ignore lint/suspicious/noExplicitAny: the tests reach into JSON files by known paths.
type Json = any;

function editJson(root: string, file: string, change: (json: Json) => void): void {
  const json = JSON.parse(readFileSync(join(root, file), 'utf8'));
  change(json);
  writeFileSync(join(root, file), JSON.stringify(json, null, 2));
}

/** Returns the config of the compact definition's step with this id. */
const stepOf = (definition: Json, stepId: string): Record<string, unknown> =>
  definition.steps.find((step: Json) => step.config.stepId === stepId).config;
const linesOf = (root: string) => validateContentFiles({ root }).map(formatIssue);

describe('content validation (npm test, npm start, the simulator and cdk synth)', () => {
  it('passes the shipped journeys, policy and templates, every case rendered', async () => {
    expect((await validateProjectContent()).map(formatIssue)).toEqual([]);
  });

  it('refuses a misspelt optional step key, naming the nearest valid one', () => {
    const root = contentCopy();
    editJson(root, REMINDER, (definition) => {
      const step = stepOf(definition, 'second-reminder');
      step.nxt = step.next;
      delete step.next;
    });
    expect(linesOf(root)).toEqual([
      `${REMINDER}: steps[2] (second-reminder): config.nxt: unknown key — did you mean "next"?`,
    ]);
  });

  it('names a missing required key and what was written instead, and a wrong value with its value', () => {
    const root = contentCopy();
    editJson(root, REMINDER, (definition) => {
      const step = stepOf(definition, 'final-notice');
      step.templateID = step.templateId;
      delete step.templateId;
      step.channels = ['email', 'sms', 'emial'];
      stepOf(definition, 'pre-due-notice').next = { afterHour: 24 };
      stepOf(definition, 'hand-over').handOver = 'no-reacton';
    });
    expect(linesOf(root)).toEqual([
      `${REMINDER}: steps[0] (pre-due-notice): config.next.afterHour: unknown key — did you mean "afterHours"? (afterHours is required)`,
      `${REMINDER}: steps[3] (final-notice): config.channels[2]: "emial" is not one of email, sms, letter, phone — did you mean "email"?`,
      `${REMINDER}: steps[3] (final-notice): config.templateID: unknown key — did you mean "templateId"? (templateId is required)`,
      `${REMINDER}: steps[4] (hand-over): config.handOver: "no-reacton" is not one of no-reaction, failed — did you mean "no-reaction"?`,
    ]);
  });

  it('refuses a field taken from the input at run time under a name the step does not know', () => {
    const root = contentCopy();
    editJson(root, REMINDER, (definition) => {
      stepOf(definition, 'final-notice')['notAftr.$'] = '$.subject.dueDate';
      stepOf(definition, 'second-reminder')['channels.$'] = '$.channels';
    });
    expect(linesOf(root)).toEqual([
      `${REMINDER}: steps[3] (final-notice): config.notAftr.$: unknown key — did you mean "notAfter.$"?`,
    ]);
  });

  it('refuses a misspelt key of the compact definition itself, naming a step without an id by its place', () => {
    const root = contentCopy();
    editJson(root, REMINDER, (definition) => {
      definition.timeoutDay = definition.timeoutDays;
      delete definition.timeoutDays;
      definition.steps[0].wiat = {};
      delete definition.steps[4].config.stepId;
    });
    expect(linesOf(root)).toEqual([
      `${REMINDER}: steps[0].wiat: unknown key — did you mean "wait"?`,
      `${REMINDER}: timeoutDay: unknown key — did you mean "timeoutDays"? (timeoutDays is required)`,
      `${REMINDER}: steps[4]: config.stepId: required`,
    ]);
  });

  it('reads the steps of an ASL file without a compact definition, naming the state', () => {
    const definition = JSON.parse(
      readFileSync(join(repoRoot, 'statemachines/payment-reminder.asl.json'), 'utf8'),
    );
    const step = definition.States.SecondReminder.Parameters.Payload.step;
    step.nxt = step.next;
    delete step.next;
    expect(validateJourneyDefinition(definition, 'statemachines/x.asl.json').map(formatIssue)).toEqual([
      'statemachines/x.asl.json: state SecondReminder: step.nxt: unknown key — did you mean "next"?',
    ]);
  });

  it('refuses a policy segment without windows and a misspelt policy key, naming the segment', () => {
    const root = contentCopy();
    editJson(root, 'templates/policy.json', (policy) => {
      delete policy.segments[1].windows;
      policy.segments[2].when = { maxAeg: 34 };
      policy.quietHours.strat = policy.quietHours.start;
      delete policy.quietHours.start;
    });
    expect(linesOf(root)).toEqual([
      'templates/policy.json: quietHours.strat: unknown key — did you mean "start"? (start is required)',
      'templates/policy.json: segment senior: windows: required',
      'templates/policy.json: segment young-digital: when.maxAeg: unknown key — did you mean "maxAge"?',
    ]);
  });

  it('refuses a misspelt key in a template’s template.json', () => {
    const root = contentCopy();
    editJson(root, 'templates/payment-reminder/template.json', (info) => {
      info.smsMaxSegment = info.smsMaxSegments ?? 3;
      delete info.smsMaxSegments;
      info.sample.customer.givn = 'Anna';
      info.sample.subject.dueDat = info.sample.subject.dueDate;
      delete info.sample.subject.dueDate;
    });
    editJson(root, 'templates/onboarding-tip/template.json', (info) => {
      info.sample.subject.type = 'acount';
    });
    expect(linesOf(root)).toEqual([
      'templates/onboarding-tip/template.json: template onboarding-tip: sample.subject.type: "acount" is not a subject type (account, appointment, instalment, invoice) — did you mean "account"?',
      'templates/payment-reminder/template.json: template payment-reminder: sample.customer.givn: unknown key — did you mean "given"?',
      'templates/payment-reminder/template.json: template payment-reminder: smsMaxSegment: unknown key — did you mean "smsMaxSegments"?',
      'templates/payment-reminder/template.json: template payment-reminder: sample.subject.dueDat: unknown key — did you mean "dueDate"? (dueDate is required)',
    ]);
  });

  it('renders a template with its subject type’s own sample too, and refuses a sample of another type', async () => {
    const root = contentCopy();
    // The follow-up's template.json sample has the optional survey link; the appointment module's has not.
    const text = join(root, 'templates/appointment-follow-up/en/friendly/email.text.liquid');
    writeFileSync(
      text,
      readFileSync(text, 'utf8').replace('{{ links.survey }}', '{{ appointment.surveyUrl }}'),
    );
    editJson(root, 'templates/onboarding-tip/template.json', (info) => {
      info.sample.subject = {
        type: 'invoice',
        id: 'INV-1',
        amount: '12.50',
        currency: 'EUR',
        dueDate: '2026-12-04',
        payUrl: 'https://pay.example.com/1',
      };
    });
    const lines = (await validateProjectContent({ root })).map(formatIssue);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^templates\/appointment-follow-up\/en\/friendly: .*: does not render with the appointment module's sample: .*undefined variable: appointment\.surveyUrl/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^templates\/onboarding-tip\/.*: template\.json's sample subject is of type invoice, but its journey is about account$/,
      ),
    );
  }, 120_000);

  it('names the template file whose Liquid does not parse', async () => {
    const root = contentCopy();
    writeFileSync(join(root, 'templates/payment-reminder/nl/friendly/sms.liquid'), 'Betaal {% if %} nu');
    const lines = (await validateProjectContent({ root })).map(formatIssue);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^templates\/payment-reminder\/nl\/friendly\/sms\.liquid: /);
  }, 120_000);

  it('refuses a template that uses an unknown variable, naming template, locale and variable', async () => {
    const root = contentCopy();
    const file = join(root, 'templates/payment-reminder/en/firm/sms.liquid');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('Pay within', 'Pay by {{ invoice.dueDat }}, within'),
    );
    const issues = await validateProjectContent({ root });
    expect(issues.map(formatIssue)).toEqual([
      expect.stringMatching(
        /^templates\/payment-reminder\/en\/firm\/sms\.liquid: template payment-reminder, channel sms, locale en, variant firm \(step .*\): does not render with the sample data: .*undefined variable: invoice\.dueDat — did you mean "invoice\.dueDate"\?$/,
      ),
    ]);
    expect(contentReport(issues)).toMatch(
      /^The content is not valid \(1 problem\):\n {2}templates\/payment-reminder\/en\/firm\/sms\.liquid: /,
    );
  }, 120_000);
});
