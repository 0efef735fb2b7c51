/**
 * The stage's results delivery stream on one machine: a tiny Firehose endpoint for `PutRecordBatch`
 * (AWS JSON 1.1, the action in `X-Amz-Target`), so the feed's real Firehose client and adapter — the
 * production code path — talk to it. Each record lands as one line of a JSON-lines file in its
 * partition, `day=YYYY-MM-DD/` from the record's own `day`, as the stack's stream partitions it under
 * `events/` in S3; a record that is no JSON object with a calendar `day` goes to `errors/`, as
 * Firehose sends what it cannot partition to its error prefix. In memory it keeps the latest
 * `RECORDS_IN_MEMORY` (tests read their few; the files have them all) and the count of all.
 * Binds to 127.0.0.1 only; port 0 picks a free port.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { isResultDay, RESULT_EVENT_PARTITION_KEY } from '#core/result-event-record.ts';
import { closeServer, listenLocal } from './server-lifecycle.ts';

export interface FirehoseOptions {
  port?: number;
  /** The one delivery stream it accepts (the stage's name for it). */
  deliveryStreamName: string;
  /** Where the partitions' files go; nothing is written when absent. */
  dir?: string;
  /** Names this run's file in each partition, so runs never write into each other's files. */
  fileName?: string;
}

/** One delivered record: its partition (`day=…` or `errors`) and its text. */
export interface DeliveredRecord {
  partition: string;
  line: string;
}

export interface RunningFirehose {
  endpoint: string;
  deliveryStreamName: string;
  /** The latest records delivered (at most `RECORDS_IN_MEMORY`), in order. */
  records(): DeliveredRecord[];
  /** How many records were delivered in all. */
  recordCount(): number;
  /** The files written so far, relative to the folder. */
  files(): string[];
  stop(): Promise<void>;
}

/** Records kept in memory: a run over many customers delivers far more than anyone reads back. */
export const RECORDS_IN_MEMORY = 1_000;

const TARGET_PREFIX = 'Firehose_20150804.';
const MAX_BODY_BYTES = 5 * 1024 * 1024;

class FirehoseError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

/** Returns the partition a record goes to, as the stack's dynamic partitioning on `day` decides. */
export function partitionOf(line: string): string {
  try {
    const value = JSON.parse(line) as unknown;
    const day = (value as Record<string, unknown> | null)?.[RESULT_EVENT_PARTITION_KEY];
    if (typeof day === 'string' && isResultDay(day)) return `${RESULT_EVENT_PARTITION_KEY}=${day}`;
  } catch {
    // Not JSON: the error prefix, below.
  }
  return 'errors';
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new FirehoseError('InvalidArgumentException', 'Request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the endpoint; resolves once it listens. */
export async function startFirehose(options: FirehoseOptions): Promise<RunningFirehose> {
  let delivered: DeliveredRecord[] = [];
  let deliveredCount = 0;
  const written = new Set<string>();
  const fileName = options.fileName ?? `${options.deliveryStreamName}-${randomUUID()}.jsonl`;
  // Appends in arrival order, one batch after another.
  let writing: Promise<void> = Promise.resolve();

  const write = (records: DeliveredRecord[]) => {
    const { dir } = options;
    if (!dir) return Promise.resolve();
    writing = writing.then(async () => {
      const byPartition = Map.groupBy(records, (r) => r.partition);
      for (const [partition, lines] of byPartition) {
        await mkdir(join(dir, partition), { recursive: true });
        await appendFile(join(dir, partition, fileName), lines.map((r) => `${r.line}\n`).join(''));
        written.add(join(partition, fileName));
      }
    });
    return writing;
  };

  const putRecordBatch = async (body: unknown) => {
    const { DeliveryStreamName, Records } = (body ?? {}) as {
      DeliveryStreamName?: unknown;
      Records?: unknown;
    };
    if (DeliveryStreamName !== options.deliveryStreamName) {
      throw new FirehoseError(
        'ResourceNotFoundException',
        `Firehose ${String(DeliveryStreamName)} not found`,
      );
    }
    if (!Array.isArray(Records) || Records.length === 0 || Records.length > 500) {
      throw new FirehoseError('InvalidArgumentException', 'Records: 1 to 500 records');
    }
    const records = Records.map((record) => {
      const data = (record as { Data?: unknown } | null)?.Data;
      if (typeof data !== 'string')
        throw new FirehoseError('InvalidArgumentException', 'Record without Data');
      const line = Buffer.from(data, 'base64').toString('utf8');
      return { partition: partitionOf(line), line };
    });
    delivered.push(...records);
    deliveredCount += records.length;
    // Trimmed in one go once twice the bound, so each record pays the trim once.
    if (delivered.length >= 2 * RECORDS_IN_MEMORY) delivered = delivered.slice(-RECORDS_IN_MEMORY);
    await write(records);
    return {
      FailedPutCount: 0,
      Encrypted: false,
      RequestResponses: records.map(() => ({ RecordId: randomUUID() })),
    };
  };

  const answer = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    void (async () => {
      try {
        const target = String(request.headers['x-amz-target'] ?? '');
        const body = JSON.parse((await readBody(request)) || '{}') as unknown;
        if (request.method !== 'POST' || target !== `${TARGET_PREFIX}PutRecordBatch`) {
          throw new FirehoseError('UnknownOperationException', `${target || 'no action'} is not emulated`);
        }
        answer(response, 200, await putRecordBatch(body));
      } catch (error) {
        const known = error instanceof FirehoseError;
        answer(response, known ? 400 : 500, {
          __type: known ? error.type : 'ServiceUnavailableException',
          message: (error as Error).message,
        });
      }
    })();
  });
  const address = await listenLocal(server, options.port ?? 0);
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    deliveryStreamName: options.deliveryStreamName,
    records: () => delivered.slice(-RECORDS_IN_MEMORY),
    recordCount: () => deliveredCount,
    files: () => [...written].sort(),
    stop: async () => {
      await writing;
      await closeServer(server);
    },
  };
}
