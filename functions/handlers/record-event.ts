import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { BehaviourEventTypeSchema } from '#core/behaviour.ts';
import { type InvoiceSubject, InvoiceSubjectSchema } from '#core/journey-step.ts';
import type { Clock, CustomerRepository, SubjectState, TimelineRepository } from '#core/ports.ts';
import type { ApiDoc } from '#shared/api-doc.ts';
import { HttpError, type HttpResult, issuesOf, json, parseBody, parseParams, respond } from '#shared/http.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { logger, metrics } from '#shared/powertools.ts';

export const RecordEventBody = z.object({
  type: BehaviourEventTypeSchema,
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  subjectId: z.string().min(1).max(128).optional(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

const PathSchema = z.object({ customerId: z.string().min(1).max(128) });

/**
 * `invoice.created` may describe the invoice in `data` (amount, currency, dueDate, payUrl): the
 * subject then carries it and, while open, the scheduled batch finds it by its due date.
 */
const InvoiceDataSchema = InvoiceSubjectSchema.omit({ type: true, id: true });

/** Returns the invoice described by the event's data, or undefined; a 400 names each failing `data.` field. */
function invoiceOf(body: z.infer<typeof RecordEventBody>): InvoiceSubject | undefined {
  if (body.type !== 'invoice.created' || !body.data || !body.subjectId) return undefined;
  const parsed = InvoiceDataSchema.safeParse(body.data);
  if (!parsed.success) {
    throw new HttpError(
      400,
      'invalid request',
      issuesOf(parsed.error).map((issue) => ({ ...issue, path: `data.${issue.path}` })),
    );
  }
  return { type: 'invoice', id: body.subjectId, ...parsed.data };
}

export const apiDoc: ApiDoc = {
  summary: 'Record a behaviour or business event (invoice.created, invoice.paid, …)',
  description:
    '`invoice.created` with `data` {amount, currency, dueDate, payUrl} makes the invoice known to the scheduled ' +
    'batch, which starts its payment reminder once it is due; `invoice.paid` ends running reminders at their goal check.',
  params: PathSchema,
  body: RecordEventBody,
  responses: {
    202: {
      description: 'Recorded',
      schema: z.object({ eventId: z.string(), type: BehaviourEventTypeSchema, occurredAt: z.string() }),
    },
    404: { description: 'No such customer' },
  },
};

/** Business events that move a journey's subject (the invoice) to a new status. */
const subjectStatusAfter: Partial<Record<z.infer<typeof BehaviourEventTypeSchema>, SubjectState['status']>> =
  {
    'invoice.created': 'open',
    'invoice.paid': 'paid',
  };

export interface RecordEventDeps {
  customers: Pick<CustomerRepository, 'getCustomer' | 'recordEvent' | 'putSubject'>;
  timeline: TimelineRepository;
  clock: Clock;
  newEventId?: () => string;
}

export function makeHandler(deps: RecordEventDeps) {
  const newEventId = deps.newEventId ?? randomUUID;
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { customerId } = parseParams(event.pathParameters, PathSchema);
          const body = parseBody(event, RecordEventBody);
          const status = subjectStatusAfter[body.type];
          if (status && !body.subjectId) {
            throw new HttpError(400, 'invalid request', [
              { path: 'subjectId', message: `required for ${body.type}` },
            ]);
          }
          const invoice = invoiceOf(body);
          const customer = await deps.customers.getCustomer(customerId);
          if (!customer) throw new HttpError(404, 'customer not found');

          const recordedAt = deps.clock.now().toISOString();
          const occurredAt = body.occurredAt ?? recordedAt;
          const eventId = newEventId();
          await deps.customers.recordEvent(
            customer.id,
            {
              type: body.type,
              occurredAt,
              ...(body.subjectId ? { subjectId: body.subjectId } : {}),
              ...(body.data ? { data: body.data } : {}),
            },
            eventId,
          );
          if (status && body.subjectId) {
            // The journey's goal check reads this item directly from DynamoDB.
            await deps.customers.putSubject({
              customerId: customer.id,
              subjectId: body.subjectId,
              status,
              updatedAt: occurredAt,
              ...(invoice ? { invoice } : {}),
            });
          }
          await deps.timeline.appendTimeline({
            customerId: customer.id,
            at: occurredAt,
            kind: 'event',
            summary: body.subjectId ? `${body.type} (${body.subjectId})` : body.type,
          });
          logger.info('event recorded', { type: body.type });
          metrics.addMetric('EventsRecorded', 'Count', 1);
          return json(202, { eventId, type: body.type, occurredAt });
        },
        (error) => logger.error('record-event failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({ customers: repository, timeline: repository, clock: systemClock });
});
