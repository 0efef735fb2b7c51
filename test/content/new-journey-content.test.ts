/**
 * What `klantreis new journey` writes is valid content for every shipped subject type: the definition
 * and its generated state machine, and the starter templates rendered in every locale, tone and channel
 * with the template's and the subject module's samples.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { subjectTypesOf } from '#infra/cli/new.ts';
import { journeyFiles } from '#infra/cli/new-journey.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { formatIssue } from '#infra/content/content-issue.ts';
import { validateProjectContent } from '#infra/content/validate-content.ts';
import { generateAsl } from '#infra/journeys/generate-asl.ts';
import { parseJourneyDefinition } from '#infra/journeys/journey-definition.ts';
import { jsonText } from '#infra/journeys/json-text.ts';
import { subjects } from '#subjects/registry.ts';

describe('the content klantreis new journey writes', () => {
  it('passes the content validation for a journey about each subject type', async () => {
    const root = mkdtempSync(join(tmpdir(), 'klantreis-new-content-'));
    try {
      mkdirSync(join(root, 'templates'));
      cpSync(join(repoRoot, 'templates/policy.json'), join(root, 'templates/policy.json'));
      const aslFiles: string[] = [];
      for (const type of subjects.types) {
        const id = `new-${type}`;
        const files = journeyFiles(id, type, subjectTypesOf(subjects), ['nl', 'en']);
        for (const [path, text] of Object.entries(files)) {
          mkdirSync(join(root, path, '..'), { recursive: true });
          writeFileSync(join(root, path), text);
        }
        const file = `statemachines/${id}.journey.json`;
        const definition = parseJourneyDefinition(files[file] ?? '', file);
        aslFiles.push(`statemachines/${id}.asl.json`);
        writeFileSync(join(root, aslFiles.at(-1) ?? ''), jsonText(generateAsl(definition)));
      }
      expect((await validateProjectContent({ root, journeyFiles: aslFiles })).map(formatIssue)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
