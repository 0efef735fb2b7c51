import { describe, expect, it } from 'vitest';
import { callerOf, requireRole } from '#application/caller.ts';
import { HttpError } from '#application/http.ts';
import { makeHandler as getCustomer } from '#handlers/get-customer.ts';
import { makeHandler as setPreferences } from '#handlers/set-preferences.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { agent, httpEvent, lambdaContext, viewer } from '../../fixtures/lambda.ts';

const jwtEvent = (claims: Record<string, unknown>) => ({
  requestContext: { authorizer: { jwt: { claims, scopes: null } } },
});

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return { status: error.statusCode, message: error.message };
    throw error;
  }
  throw new Error('not refused');
};

describe('callerOf', () => {
  it('reads the Cognito groups of a JWT caller, as the HTTP API flattens them, with the roles they imply', () => {
    const caller = callerOf(
      jwtEvent({ sub: 'u-1', 'cognito:username': 'anna', 'cognito:groups': '[agent]' }),
    );
    expect(caller.actor).toBe('anna');
    expect([...caller.roles].sort()).toEqual(['agent', 'viewer']);
  });

  it('reads groups passed as an array and ignores groups that grant nothing', () => {
    const caller = callerOf(jwtEvent({ username: 'erik', 'cognito:groups': ['editor', 'admins'] }));
    expect(caller.actor).toBe('erik');
    expect([...caller.roles].sort()).toEqual(['editor', 'viewer']);
  });

  it('names a user whose user name is an email address by their sub, never by the address', () => {
    const caller = callerOf(
      jwtEvent({ sub: 'b5e1-42', 'cognito:username': 'anna@example.com', 'cognito:groups': '[viewer]' }),
    );
    expect(caller.actor).toBe('b5e1-42');
  });

  it('gives an IAM caller every right, named by its role without the session name', () => {
    const caller = callerOf({
      requestContext: {
        authorizer: {
          iam: {
            userArn: 'arn:aws:sts::1:assumed-role/AWSReservedSSO_Admin/jane@example.com',
            userId: 'AROA:x',
          },
        },
      },
    });
    expect(caller.actor).toBe('system:role/AWSReservedSSO_Admin');
    expect(caller.roles.has('system')).toBe(true);
    expect(caller.roles.has('agent')).toBe(true);
    expect(caller.roles.has('editor')).toBe(true);
  });

  it('names an IAM user as system:user/<name>', () => {
    const caller = callerOf({
      requestContext: { authorizer: { iam: { userArn: 'arn:aws:iam::1:user/billing-sync' } } },
    });
    expect(caller.actor).toBe('system:user/billing-sync');
  });

  it('gives a request no authorizer vouched for no role at all', () => {
    expect(callerOf({ requestContext: {} }).roles.size).toBe(0);
    expect(callerOf({}).roles.size).toBe(0);
  });
});

describe('requireRole', () => {
  it('refuses a viewer an agent action in plain words', () => {
    expect(
      refusal(() => requireRole(jwtEvent({ username: 'v', 'cognito:groups': '[viewer]' }), 'agent')),
    ).toEqual({
      status: 403,
      message: 'forbidden: this needs the agent role; you are signed in as a viewer',
    });
  });

  it('refuses an editor an agent action, naming the editor role', () => {
    expect(
      refusal(() => requireRole(jwtEvent({ username: 'e', 'cognito:groups': '[editor]' }), 'agent')).message,
    ).toBe('forbidden: this needs the agent role; you are signed in as an editor');
  });

  it('refuses a signed-in user without a group, and a request nobody vouched for', () => {
    expect(refusal(() => requireRole(jwtEvent({ username: 'n' }), 'viewer')).message).toMatch(
      /^forbidden: this needs the viewer role; you are signed in without a role/,
    );
    expect(refusal(() => requireRole({ requestContext: {} }, 'viewer')).message).toBe(
      'forbidden: this needs the viewer role; you are not signed in',
    );
  });

  it('lets an agent read and act, and returns who called', () => {
    const event = jwtEvent({ username: 'anna', 'cognito:groups': '[agent]' });
    expect(requireRole(event, 'viewer').actor).toBe('anna');
    expect(requireRole(event, 'agent').actor).toBe('anna');
  });
});

describe('the console routes enforce their role for JWT callers and leave IAM callers as they were', () => {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL', consents: [] });
  const read = getCustomer({ customers: repository });
  const prefer = setPreferences({
    customers: repository,
    timeline: repository,
    clock: { now: () => new Date('2026-12-01T12:00:00Z') },
  });
  const body = { channel: 'email' };

  it('lets a viewer read a customer, and refuses them a change of preferences', async () => {
    expect(
      (await read(httpEvent({ pathParameters: { customerId: 'c-1' }, caller: viewer }), lambdaContext))
        .statusCode,
    ).toBe(200);
    const refused = await prefer(
      httpEvent({ pathParameters: { customerId: 'c-1' }, body, caller: viewer }),
      lambdaContext,
    );
    expect(refused.statusCode).toBe(403);
    expect(JSON.parse(String(refused.body)).error).toBe(
      'forbidden: this needs the agent role; you are signed in as a viewer',
    );
  });

  it('lets an agent and an IAM caller change preferences', async () => {
    for (const caller of [agent, 'iam'] as const) {
      const response = await prefer(
        httpEvent({ pathParameters: { customerId: 'c-1' }, body, caller }),
        lambdaContext,
      );
      expect(response.statusCode).toBe(200);
    }
    // Each change is in the conversation with who made it.
    expect(repository.timeline.map((entry) => [entry.kind, entry.actor])).toEqual([
      ['action', 'aad-agent'],
      ['action', 'system:role/billing-system'],
    ]);
  });
});
