import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ExecutionAlreadyExists,
  type JourneyEngine,
  type LocalExecution,
  StateMachineDoesNotExist,
} from './journey-engine.ts';
import { TaskTokenError } from './task-tokens.ts';

/**
 * The Step Functions API (AWS JSON 1.0 protocol) in front of the local journey engine, for the
 * calls Klantreis makes: StartExecution, DescribeExecution, StopExecution, GetExecutionHistory
 * (state-entered events only), ListExecutions, and SendTaskSuccess / SendTaskFailure /
 * SendTaskHeartbeat for `.waitForTaskToken` Tasks. aws-local-stepfunctions
 * runs ASL but has no API server; this is the few dozen lines that let the real `SFNClient`
 * of the start-journey handler run unchanged against it.
 */
export interface LocalStepFunctionsApi {
  endpoint: string;
  /** The server's request listener: the runtime's own client calls it in process (`in-process-http.ts`). */
  listener: RequestListener;
  stop(): Promise<void>;
}

const epochSeconds = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined);

function describe(execution: LocalExecution) {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: epochSeconds(execution.startDate),
    stopDate: epochSeconds(execution.stopDate),
    input: execution.input,
    output: execution.output,
    error: execution.error,
    cause: execution.cause,
  };
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export function handleStepFunctionsCall(
  engine: JourneyEngine,
  action: string,
  body: Record<string, unknown>,
) {
  switch (action) {
    case 'StartExecution': {
      const { execution } = engine.startExecution({
        stateMachineArn: String(body.stateMachineArn),
        name: typeof body.name === 'string' ? body.name : crypto.randomUUID(),
        input: typeof body.input === 'string' ? body.input : '{}',
      });
      return { executionArn: execution.executionArn, startDate: epochSeconds(execution.startDate) };
    }
    case 'DescribeExecution': {
      const execution = engine.describeExecution(String(body.executionArn));
      if (!execution)
        throw Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' });
      return describe(execution);
    }
    case 'StopExecution': {
      const execution = engine.stopExecution(String(body.executionArn), {
        ...(typeof body.error === 'string' ? { error: body.error } : {}),
        ...(typeof body.cause === 'string' ? { cause: body.cause } : {}),
      });
      if (!execution)
        throw Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' });
      return { stopDate: epochSeconds(execution.stopDate ?? new Date()) };
    }
    case 'GetExecutionHistory': {
      const execution = engine.describeExecution(String(body.executionArn));
      if (!execution)
        throw Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' });
      // Only what the engine records: one `<Type>StateEntered` event per state entered.
      const events = execution.statesEntered.map((name, index) => ({
        id: index + 1,
        type: `${engine.stateTypeOf(execution.stateMachineArn, name) ?? 'Task'}StateEntered`,
        timestamp: epochSeconds(execution.startDate),
        stateEnteredEventDetails: { name },
      }));
      if (body.reverseOrder === true) events.reverse();
      const max = typeof body.maxResults === 'number' && body.maxResults > 0 ? body.maxResults : 1000;
      return { events: events.slice(0, max) };
    }
    case 'ListExecutions':
      return {
        executions: engine
          .listExecutions()
          .filter((e) => e.stateMachineArn === body.stateMachineArn)
          .map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) => ({
            executionArn,
            stateMachineArn,
            name,
            status,
            startDate: epochSeconds(startDate),
            stopDate: epochSeconds(stopDate),
          })),
      };
    case 'SendTaskSuccess':
      engine.sendTaskSuccess(String(body.taskToken), typeof body.output === 'string' ? body.output : '');
      return {};
    case 'SendTaskFailure':
      engine.sendTaskFailure(String(body.taskToken), {
        ...(typeof body.error === 'string' ? { error: body.error } : {}),
        ...(typeof body.cause === 'string' ? { cause: body.cause } : {}),
      });
      return {};
    case 'SendTaskHeartbeat':
      engine.sendTaskHeartbeat(String(body.taskToken));
      return {};
    default:
      throw Object.assign(new Error(`${action} is not served locally`), {
        name: 'UnknownOperationException',
      });
  }
}

export async function startStepFunctionsApi(
  engine: JourneyEngine,
  options: { port?: number } = {},
): Promise<LocalStepFunctionsApi> {
  const listener: RequestListener = async (request, response) => {
    const action = String(request.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
    const reply = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(payload));
    };
    try {
      reply(200, handleStepFunctionsCall(engine, action, await readJson(request)));
    } catch (error) {
      const failure = error as Error;
      const known =
        failure instanceof ExecutionAlreadyExists ||
        failure instanceof StateMachineDoesNotExist ||
        failure instanceof TaskTokenError ||
        ['ExecutionDoesNotExist', 'UnknownOperationException'].includes(failure.name);
      reply(known ? 400 : 500, {
        __type: known ? failure.name : 'InternalFailure',
        message: failure.message,
      });
    }
  };
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    listener,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
