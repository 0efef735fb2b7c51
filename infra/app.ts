/**
 * CDK entry: reads the stage once (`-c stage=<name>`, default `dev`) and builds its stack.
 */
import { App, Tags } from 'aws-cdk-lib';
import { KlantreisStack } from './klantreis-stack.ts';
import { loadStage } from './stages.ts';

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
