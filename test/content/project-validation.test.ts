/**
 * The one content validation over the shipped content, and each mistake a newcomer makes, written
 * into a copy of the content in a temporary folder: refused with the file, the place and the field.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { contentReport, formatIssue } from '#infra/content/content-issue.ts';
import { validateContentFiles, validateProjectContent } from '#infra/content/validate-content.ts';

const REMINDER = 'statemachines/payment-reminder.asl.json';

/** Returns a copy of the repository's journeys and templates to break on purpose. */
function contentCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'klantreis-content-'));
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

const stepOf = (definition: Json, state: string): Record<string, unknown> =>
  definition.States[state].Parameters.Payload.step;
const linesOf = (root: string) => validateContentFiles({ root }).map(formatIssue);

describe('content validation (npm test, npm start, the simulator and cdk synth)', () => {
  it('passes the shipped journeys, policy and templates, every case rendered', async () => {
    expect((await validateProjectContent()).map(formatIssue)).toEqual([]);
  });

  it('refuses a misspelt optional step key, naming the nearest valid one', () => {
    const root = contentCopy();
    editJson(root, REMINDER, (definition) => {
      const step = stepOf(definition, 'SecondReminder');
      step.nxt = step.next;
      delete step.next;
    });
    expect(linesOf(root)).toEqual([
      `${REMINDER}: state SecondReminder: step.nxt: unknown key — did you mean "next"?`,
    ]);
  });

  it('names a missing required key and what was written instead, and a wrong value with its value', () => {
    const root = contentCopy();
    editJson(root, REMINDER, (definition) => {
      const step = stepOf(definition, 'FinalNotice');
      step.templateID = step.templateId;
      delete step.templateId;
      step.channels = ['email', 'sms', 'emial'];
      stepOf(definition, 'PreDueNotice').next = { afterHour: 24 };
      stepOf(definition, 'HandOverNoReaction').handOver = 'no-reacton';
    });
    expect(linesOf(root)).toEqual([
      `${REMINDER}: state PreDueNotice: step.next.afterHours: required`,
      `${REMINDER}: state PreDueNotice: step.next.afterHour: unknown key — did you mean "afterHours"?`,
      `${REMINDER}: state FinalNotice: step.templateId: required`,
      `${REMINDER}: state FinalNotice: step.channels[2]: "emial" is not one of email, sms — did you mean "email"?`,
      `${REMINDER}: state FinalNotice: step.templateID: unknown key — did you mean "templateId"?`,
      `${REMINDER}: state HandOverNoReaction: step.handOver: "no-reacton" is not one of no-reaction, failed — did you mean "no-reaction"?`,
    ]);
  });

  it('refuses a field taken from the input at run time under a name the step does not know', () => {
    const root = contentCopy();
    editJson(root, REMINDER, (definition) => {
      stepOf(definition, 'FinalNotice')['notAftr.$'] = '$.subject.dueDate';
      stepOf(definition, 'SecondReminder')['channels.$'] = '$.channels';
    });
    expect(linesOf(root)).toEqual([
      `${REMINDER}: state FinalNotice: step.notAftr.$: unknown key — did you mean "notAfter.$"?`,
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
      'templates/policy.json: quietHours.start: required',
      'templates/policy.json: quietHours.strat: unknown key — did you mean "start"?',
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
    });
    expect(linesOf(root)).toEqual([
      'templates/payment-reminder/template.json: template payment-reminder: sample.customer.givn: unknown key — did you mean "given"?',
      'templates/payment-reminder/template.json: template payment-reminder: smsMaxSegment: unknown key — did you mean "smsMaxSegments"?',
    ]);
  });

  it('refuses a template that uses an unknown variable, naming template, locale and variable', async () => {
    const root = contentCopy();
    const file = join(root, 'templates/payment-reminder/en/firm/sms.liquid');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Pay at', 'Pay by {{ invoice.dueDat }} at'));
    const issues = await validateProjectContent({ root });
    expect(issues.map(formatIssue)).toEqual([
      expect.stringMatching(
        /^templates\/payment-reminder\/en\/firm: template payment-reminder, channel sms, locale en, variant firm \(step .*\): does not render with the sample data: .*undefined variable: invoice\.dueDat$/,
      ),
    ]);
    expect(contentReport(issues)).toMatch(/^The content is not valid \(1 problem\):\n {2}templates\//);
  }, 120_000);
});
