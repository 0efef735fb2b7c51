import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNewJourney, type SubjectTypes } from '#infra/cli/new-journey.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { generateAsl } from '#infra/journeys/generate-asl.ts';
import { parseJourneyDefinition } from '#infra/journeys/journey-definition.ts';

/** A contract subject type as the registry would describe it to the command. */
const subjects: SubjectTypes = {
  types: ['account', 'contract', 'invoice'],
  starter: (type) => ({
    type,
    sample: { type, id: 'CON-1', endDate: '2027-01-31', renewUrl: 'https://portal.example.com/renew/1' },
    link: 'renew',
    date: 'endDate',
    exitEvent: `${type}.renewed`,
  }),
};

let root: string;
let out: string[];
let err: string[];
const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
const newJourney = (...args: string[]) => runNewJourney(args, io, root, subjects);
const read = (path: string) => readFileSync(join(root, path), 'utf8');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'klantreis-new-journey-'));
  mkdirSync(join(root, 'templates'));
  cpSync(join(repoRoot, 'statemachines'), join(root, 'statemachines'), { recursive: true });
  cpSync(join(repoRoot, 'templates/policy.json'), join(root, 'templates/policy.json'));
  for (const file of ['biome.json', '.gitignore']) cpSync(join(repoRoot, file), join(root, file));
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  out = [];
  err = [];
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('klantreis new journey', () => {
  it('writes a definition that generates a state machine with the states its starter test holds a run in', () => {
    expect(newJourney('contract-renewal', '--subject', 'contract'), err.join('\n')).toBe(0);
    const file = 'statemachines/contract-renewal.journey.json';
    const definition = parseJourneyDefinition(read(file), file);
    expect(definition).toMatchObject({ id: 'contract-renewal', subject: 'contract', plansFirstWake: true });
    expect(definition.steps.map((s) => s.config.templateId)).toEqual([
      'contract-renewal-notice',
      'contract-renewal-reminder',
    ]);
    const states = Object.keys(generateAsl(definition).States);
    expect(states).toEqual(
      expect.arrayContaining(['WaitForNotice', 'Notice', 'WaitForReminder', 'Reminder']),
    );
    const test = read('test/e2e/contract-renewal.test.ts');
    expect(test).toContain("pauseAt('WaitForReminder'");
    expect(test).toContain("type: 'contract.renewed'");
    expect(test).toContain("import contract from '#subjects/contract.ts'");
  });

  it('writes each step’s templates in every policy locale and tone, for email and SMS, with the subject’s link and date', () => {
    expect(newJourney('contract-renewal', '--subject', 'contract')).toBe(0);
    for (const step of ['notice', 'reminder']) {
      const dir = `templates/contract-renewal-${step}`;
      expect(JSON.parse(read(`${dir}/template.json`)).sample.subject.type).toBe('contract');
      for (const locale of ['nl', 'en']) {
        expect(read(`${dir}/${locale}/blocks/main.liquid`)).toContain('{{ contract.endDate | date }}');
        for (const tone of ['friendly', 'firm']) {
          for (const part of ['email.subject.liquid', 'email.mjml', 'email.text.liquid', 'sms.liquid']) {
            expect(existsSync(join(root, dir, locale, tone, part)), `${dir}/${locale}/${tone}/${part}`).toBe(
              true,
            );
          }
          expect(read(`${dir}/${locale}/${tone}/sms.liquid`)).toContain('{{ links.renew }}');
        }
      }
    }
    expect(out.join('\n')).toContain('test/e2e/contract-renewal.test.ts');
  });

  it('refuses an unknown subject type, suggesting the nearest one and how to add it', () => {
    expect(newJourney('contract-renewal', '--subject', 'contrat')).toBe(2);
    expect(err.join('\n')).toBe(
      'unknown subject type "contrat" — did you mean "contract"? (known: account, contract, invoice)\n' +
        'Add one with: npx klantreis new subject contrat',
    );
    expect(existsSync(join(root, 'statemachines/contract-renewal.journey.json'))).toBe(false);
  });

  it('refuses a journey that exists, and an id that cannot be one, writing nothing', () => {
    expect(newJourney('onboarding', '--subject', 'account')).toBe(2);
    expect(err.at(-1)).toBe('journey "onboarding" exists already: statemachines/onboarding.asl.json');
    expect(newJourney('scheduled-batch', '--subject', 'invoice')).toBe(2);
    expect(err.at(-1)).toBe(
      'journey "scheduled-batch" exists already: statemachines/scheduled-batch.asl.json',
    );
    expect(newJourney('Contract_Renewal', '--subject', 'contract')).toBe(2);
    expect(err.at(-1)).toMatch(
      /journey id "Contract_Renewal" must be lower-case words joined by single dashes/,
    );
    expect(newJourney('contract-renewal')).toBe(2);
    expect(err.at(-1)).toMatch(/^Usage: klantreis new journey <id> --subject <type>/);
    expect(existsSync(join(root, 'templates/contract-renewal-notice'))).toBe(false);
  });
});
