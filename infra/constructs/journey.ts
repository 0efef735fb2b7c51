/**
 * One journey: an ASL file becomes a STANDARD state machine with its substitutions filled,
 * error-level logging without execution data (no personal data in logs), X-Ray tracing, and
 * alarms on failed and timed-out executions. Grants follow from what the ASL file uses.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import {
  CustomerManagedEncryptionConfiguration,
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type HandlerId, resourceName } from '#catalog/catalog.ts';
import { contentReport } from '../content/content-issue.ts';
import { validateJourneyDefinition } from '../content/validate-journey.ts';
import {
  buildSubstitutions,
  handlersUsedBy,
  missingSubstitutions,
  placeholdersIn,
} from '../journey-substitutions.ts';
import type { StageConfig } from '../stages.ts';
import { tableKeyStatement } from './node-function.ts';
import { repoRoot } from './repo-root.ts';
import { StageEncryption, stageLogGroup } from './stage-encryption.ts';

export interface JourneyProps {
  stage: StageConfig;
  journeyId: string;
  /** ASL file, absolute or from the repository root. */
  definitionFile: string;
  /** Every catalog function that journeys may call, by handler id. */
  functions: ReadonlyMap<HandlerId, IFunction>;
  table: ITableV2;
  /** Where the failure alarms notify; alarms exist without it, they just do not mail. */
  alarmTopic?: ITopic;
}

/** Service integrations the construct knows how to grant; any other makes synth fail loudly. */
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
/** The callback form (`.waitForTaskToken`): the same invoke grant; completing it is the caller's grant. */
const LAMBDA_INVOKE_WAIT = `${LAMBDA_INVOKE}.waitForTaskToken`;
/** A Task whose Resource is a function ARN placeholder: covered by the invoke grants. */
const FUNCTION_PLACEHOLDER = /^\$\{[A-Za-z0-9_]+\}$/;
const DYNAMODB_INTEGRATION = /^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/;

export class Journey extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  readonly failedAlarm: Alarm;
  readonly timedOutAlarm: Alarm;

  constructor(scope: Construct, id: string, props: JourneyProps) {
    super(scope, id);
    const { stage, journeyId, functions, table } = props;
    const name = resourceName(stage.name, journeyId);
    const file = isAbsolute(props.definitionFile)
      ? props.definitionFile
      : join(repoRoot, props.definitionFile);
    const asl = readFileSync(file, 'utf8');
    // A bad step (an unknown or missing key, a wrong value, an experiment's weights, arms, a holdout on
    // a mandatory step, a missing text variant) fails synth, naming the file, the state and the field.
    const issues = validateJourneyDefinition(asl, props.definitionFile);
    if (issues.length > 0) throw new Error(`Journey ${journeyId}: ${contentReport(issues)}`);

    const all = buildSubstitutions((handlerId) => {
      const fn = functions.get(handlerId);
      if (!fn) throw new Error(`Journey ${journeyId}: no function for handler "${handlerId}".`);
      return fn.functionArn;
    }, table.tableName);
    const missing = missingSubstitutions(asl, all);
    if (missing.length > 0) {
      throw new Error(
        `Journey ${journeyId} (${props.definitionFile}) uses unknown placeholders: ${missing.join(', ')}.`,
      );
    }
    // Only what the file uses: no needless dependency on functions the journey never calls.
    const used = new Set(placeholdersIn(asl));
    const definitionSubstitutions = Object.fromEntries(Object.entries(all).filter(([key]) => used.has(key)));

    // The vendedlogs prefix keeps the account's CloudWatch resource policy small.
    this.logGroup = stageLogGroup(this, 'LogGroup', stage, {
      logGroupName: `/aws/vendedlogs/states/${name}`,
    });

    // Under the stage's data key, CDK grants the execution role the key for this state machine's
    // encryption context and lets log delivery decrypt; callers reading executions need kms:Decrypt.
    const dataKey = StageEncryption.of(this)?.dataKey;
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(file),
      definitionSubstitutions,
      logs: { destination: this.logGroup, level: LogLevel.ERROR, includeExecutionData: false },
      tracingEnabled: true,
      ...(dataKey ? { encryptionConfiguration: new CustomerManagedEncryptionConfiguration(dataKey) } : {}),
    });

    // fromFile hides the states from CDK, so the grants are derived from the file here: the
    // function ARNs only (grantInvoke would add every version and alias, `<arn>:*`).
    const invoked = handlersUsedBy(asl).flatMap((handlerId) => {
      const fn = functions.get(handlerId);
      return fn ? [fn.functionArn] : [];
    });
    if (invoked.length > 0) {
      this.stateMachine.addToRolePolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: invoked }),
      );
    }
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'Logs ERROR events without execution data on purpose: inputs carry personal data, and ALL would log every transition at a cost; the execution history keeps the path for 90 days.',
    });
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSampling*) accepts only "*".',
    });
    const dynamoActions = new Set<string>();
    for (const resource of taskResourcesIn(asl)) {
      const dynamo = DYNAMODB_INTEGRATION.exec(resource);
      if (dynamo?.[1]) {
        dynamoActions.add(`dynamodb:${dynamo[1].charAt(0).toUpperCase()}${dynamo[1].slice(1)}`);
      } else if (
        resource !== LAMBDA_INVOKE &&
        resource !== LAMBDA_INVOKE_WAIT &&
        !FUNCTION_PLACEHOLDER.test(resource)
      ) {
        throw new Error(
          `Journey ${journeyId} uses the integration ${resource}, which infra/constructs/journey.ts does not grant yet.`,
        );
      }
    }
    if (dynamoActions.size > 0) {
      this.stateMachine.addToRolePolicy(
        new PolicyStatement({ actions: [...dynamoActions].sort(), resources: [table.tableArn] }),
      );
      const writes = [...dynamoActions].some((action) => action !== 'dynamodb:GetItem');
      const tableKey = tableKeyStatement(table, writes ? 'readWriteDelete' : 'read');
      if (tableKey) this.stateMachine.addToRolePolicy(tableKey);
    }

    const period = Duration.minutes(5);
    this.failedAlarm = this.alarmOn(
      'ExecutionsFailedAlarm',
      `${name}-executions-failed`,
      this.stateMachine.metricFailed({ period, statistic: 'Sum' }),
      `A ${journeyId} execution failed in ${stage.name}.`,
      props.alarmTopic,
    );
    this.timedOutAlarm = this.alarmOn(
      'ExecutionsTimedOutAlarm',
      `${name}-executions-timed-out`,
      this.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
      `A ${journeyId} execution timed out in ${stage.name}.`,
      props.alarmTopic,
    );
  }

  /** Returns an alarm that fires on any occurrence in a period, mailing the topic when there is one. */
  private alarmOn(id: string, alarmName: string, metric: Metric, description: string, topic?: ITopic): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName,
      alarmDescription: description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (topic) alarm.addAlarmAction(new SnsAction(topic));
    return alarm;
  }
}

/** Returns the distinct `Resource` values of every Task state, nested ones (Parallel, Map) included. */
export function taskResourcesIn(aslText: string): string[] {
  const resources = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.Type === 'Task' && typeof record.Resource === 'string') resources.add(record.Resource);
      for (const value of Object.values(record)) visit(value);
    }
  };
  visit(JSON.parse(aslText));
  return [...resources];
}
