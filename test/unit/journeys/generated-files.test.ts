/**
 * The generated files (each journey's ASL, the catalog's journeys list, the ASL imports, the subject
 * modules' list, the definition's JSON Schema) are what their sources generate: an edited definition
 * without `npx klantreis generate` fails here, before it deploys something else than it says.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batches } from '#catalog/catalog.ts';
import { runGenerate } from '#infra/cli/generate.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { generatedFiles, REGENERATE, staleFiles } from '#infra/journeys/generated-files.ts';

describe('generated files', () => {
  it('are up to date with their sources', () => {
    expect(staleFiles(repoRoot), REGENERATE).toEqual([]);
  });

  it('include every journey definition’s ASL, the catalog list and the subject modules list', () => {
    const paths = generatedFiles(repoRoot).map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'statemachines/payment-reminder.asl.json',
        'statemachines/onboarding.asl.json',
        'statemachines/appointment.asl.json',
        'functions/catalog/journeys.ts',
        'functions/subjects/all.ts',
        'statemachines/journey.schema.json',
      ]),
    );
    expect(paths).not.toContain('statemachines/scheduled-batch.asl.json');
  });

  it('leave no state machine behind: each is generated from a definition or is a hand-written batch', () => {
    const generated = new Set(generatedFiles(repoRoot).map((file) => file.path));
    const batchFiles = new Set<string>(batches.map((batch) => batch.definitionFile));
    const orphans = readdirSync(join(repoRoot, 'statemachines'))
      .filter((name) => name.endsWith('.asl.json'))
      .map((name) => `statemachines/${name}`)
      .filter((path) => !generated.has(path) && !batchFiles.has(path));
    expect(
      orphans,
      'a journey without its <id>.journey.json: delete its ASL, or write the definition',
    ).toEqual([]);
  });
});

describe('klantreis generate', () => {
  let copy: string | undefined;
  afterEach(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
    copy = undefined;
  });

  /** A copy of the sources generate reads and writes, with the repository's biome. */
  function repositoryCopy(): string {
    const root = mkdtempSync(join(tmpdir(), 'klantreis-generate-'));
    for (const dir of ['statemachines', 'functions/catalog', 'functions/application', 'functions/subjects']) {
      cpSync(join(repoRoot, dir), join(root, dir), { recursive: true });
    }
    for (const file of ['biome.json', '.gitignore']) cpSync(join(repoRoot, file), join(root, file));
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
    return root;
  }

  it('rewrites the ASL of an edited definition, and --check says which file to regenerate before', () => {
    copy = repositoryCopy();
    const definitionFile = join(copy, 'statemachines/onboarding.journey.json');
    const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
    definition.steps[2].config.channels = ['email', 'sms'];
    writeFileSync(definitionFile, JSON.stringify(definition, null, 2));
    const output: string[] = [];
    const io = { out: (text: string) => output.push(text), err: (text: string) => output.push(text) };

    expect(runGenerate(['--check'], io, copy)).toBe(1);
    expect(output.join('\n')).toContain('run `npx klantreis generate`');
    expect(output.join('\n')).toContain('statemachines/onboarding.asl.json');

    expect(runGenerate([], io, copy)).toBe(0);
    const asl = JSON.parse(readFileSync(join(copy, 'statemachines/onboarding.asl.json'), 'utf8'));
    expect(asl.States.Tip.Parameters.Payload.step.channels).toEqual(['email', 'sms']);
    expect(runGenerate(['--check'], io, copy)).toBe(0);
  });

  it('refuses a definition whose id is not its file name, naming the file', () => {
    copy = repositoryCopy();
    const definitionFile = join(copy, 'statemachines/onboarding.journey.json');
    const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
    writeFileSync(definitionFile, JSON.stringify({ ...definition, id: 'on-boarding' }));
    const errors: string[] = [];
    expect(runGenerate([], { out: () => {}, err: (text) => errors.push(text) }, copy)).toBe(1);
    expect(errors.join('\n')).toBe(
      [
        'The content is not valid (1 problem):',
        '  statemachines/onboarding.journey.json: id: "on-boarding" must be the file\'s name "onboarding"',
      ].join('\n'),
    );
  });

  it('lists the subject modules in functions/subjects/all.ts, and refuses a journey about a type none declares', () => {
    copy = repositoryCopy();
    const subjects = join(copy, 'functions/subjects');
    for (const name of readdirSync(subjects)) {
      if (!['subject-type.ts', 'registry.ts', 'all.ts'].includes(name)) rmSync(join(subjects, name));
    }
    for (const type of ['invoice', 'instalment', 'account', 'payment-plan']) {
      writeFileSync(join(copy, `functions/subjects/${type}.ts`), 'export default {};\n');
    }
    const errors: string[] = [];
    const io = { out: () => {}, err: (text: string) => errors.push(text) };
    expect(runGenerate([], io, copy)).toBe(1);
    expect(errors.join('\n')).toBe(
      'statemachines/appointment.journey.json: subject: unknown subject type "appointment" (known: account, instalment, invoice, payment-plan; a new one is a module functions/subjects/appointment.ts)',
    );

    writeFileSync(join(copy, 'functions/subjects/appointment.ts'), 'export default {};\n');
    expect(runGenerate([], io, copy)).toBe(0);
    expect(readFileSync(join(copy, 'functions/subjects/all.ts'), 'utf8')).toBe(
      [
        '// Written by `npx klantreis generate` from the subject modules in this folder (every `*.ts` but',
        '// `subject-type.ts`, `registry.ts` and `all.ts`); a test checks that it is up to date.',
        "import account from './account.ts';",
        "import appointment from './appointment.ts';",
        "import instalment from './instalment.ts';",
        "import invoice from './invoice.ts';",
        "import paymentPlan from './payment-plan.ts';",
        '',
        'export const subjectModules = [account, appointment, instalment, invoice, paymentPlan] as const;',
        '',
      ].join('\n'),
    );
  });
});
