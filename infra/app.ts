/**
 * CDK entry: reads the stage once (`-c stage=<name>`, default `dev`) and builds its stack.
 */
import { App, Tags } from 'aws-cdk-lib';
import { repoRoot } from './constructs/repo-root.ts';
import { contentGate } from './content/validate-content.ts';
import { REGENERATE, staleFiles } from './journeys/generated-files.ts';
import { KlantreisStack } from './klantreis-stack.ts';
import { loadStage } from './stages.ts';

// The deployed ASL and catalog are generated from the journey definitions: never deploy stale ones.
const stale = staleFiles(repoRoot);
if (stale.length > 0) {
  throw new Error(`Generated files are not up to date (${REGENERATE}): ${stale.join(', ')}`);
}

// Content that cannot run (a misspelt step key, a policy segment without windows, a template using an
// unknown variable) fails synth with each problem on a line, before anything is built.
if (!(await contentGate((text) => process.stderr.write(`${text}\n`)))) process.exit(1);

const app = new App();
const stage = loadStage(String(app.node.tryGetContext('stage') ?? 'dev'));

new KlantreisStack(app, `Klantreis-${stage.name}`, {
  stage,
  description: `Klantreis customer-communication engine (${stage.name})`,
  // Region always from the stage (data stays where the stage says); account only when the stage pins one.
  env: { account: stage.account, region: stage.region },
});
Tags.of(app).add('project', 'klantreis');
Tags.of(app).add('stage', stage.name);

app.synth();
