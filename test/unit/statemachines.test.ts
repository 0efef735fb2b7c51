import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { batches, handlers, journeys } from '#catalog/catalog.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { buildSubstitutions, journeySubstitutionKeys, placeholdersIn } from '#infra/journey-substitutions.ts';
import { allStates, substitute } from '#infra/local/asl.ts';

const filled = (text: string) =>
  substitute(
    text,
    buildSubstitutions(
      (id) => `arn:aws:lambda:eu-west-1:123456789012:function:klantreis-test-${id}`,
      'klantreis-test-table',
    ),
  );

describe.each([...journeys, ...batches].map((j) => [j.id, j.definitionFile] as const))(
  'state machine %s',
  (_id, file) => {
    const text = readFileSync(join(repoRoot, file), 'utf8');

    it('is valid Amazon States Language once its substitutions are filled', () => {
      const result = aslValidator(JSON.parse(filled(text)));
      expect(result.errorsText('\n')).toBe('');
      expect(result.isValid).toBe(true);
    });

    it('uses JSONPath, which the local interpreter runs, never JSONata (silently ignored there)', () => {
      expect(text).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"/);
      expect(text).not.toMatch(/"Assign"\s*:/);
    });

    it('writes type tests in Choice rules as `true` only (the local interpreter reads `IsNull: false` as never)', () => {
      expect(text).not.toMatch(/"Is(Null|Present|Numeric|String|Boolean|Timestamp)"\s*:\s*false/);
    });

    it('uses only placeholders the stack and the local runtime both fill', () => {
      expect(placeholdersIn(text).filter((p) => !journeySubstitutionKeys().includes(p))).toEqual([]);
    });

    it('calls only catalog handlers or DynamoDB integrations the local runtime can bind', () => {
      const definition = JSON.parse(filled(text));
      const functionArns = new Set(
        handlers.map((h) => `arn:aws:lambda:eu-west-1:123456789012:function:klantreis-test-${h.id}`),
      );
      for (const [name, state] of allStates(definition)) {
        if (state.Type !== 'Task') continue;
        const resource = String(state.Resource);
        if (
          resource === 'arn:aws:states:::lambda:invoke' ||
          resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken'
        ) {
          const target = (state.Parameters as { FunctionName: string }).FunctionName;
          expect(functionArns.has(target), `${name} invokes ${target}`).toBe(true);
        } else {
          expect(resource, name).toMatch(
            /^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/,
          );
        }
      }
    });

    it('retries every Lambda task on transient Lambda errors', () => {
      const definition = JSON.parse(filled(text));
      for (const [name, state] of allStates(definition)) {
        if (!String(state.Resource).startsWith('arn:aws:states:::lambda:invoke')) continue;
        const retried = (state.Retry as Array<{ ErrorEquals: string[] }> | undefined)?.flatMap(
          (r) => r.ErrorEquals,
        );
        expect(retried, name).toEqual(
          expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']),
        );
      }
    });
  },
);

describe('scheduled batch', () => {
  const batch = batches.find((b) => b.id === 'scheduled-batch');
  const definition = JSON.parse(filled(readFileSync(join(repoRoot, batch?.definitionFile ?? ''), 'utf8')));
  const startRuns = [...allStates(definition)].find(([name]) => name === 'StartRunsOfBatch')?.[1];

  it('retries a batch of starts that timed out instead of failing the whole run (starting is idempotent)', () => {
    const retried = (startRuns?.Retry as Array<{ ErrorEquals: string[] }> | undefined)?.flatMap(
      (r) => r.ErrorEquals,
    );
    expect(retried).toEqual(expect.arrayContaining(['Sandbox.Timedout', 'Lambda.Unknown']));
  });
});
