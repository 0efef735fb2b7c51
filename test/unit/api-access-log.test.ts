import { describe, expect, it } from 'vitest';
import { API_ACCESS_LOG_FORMAT } from '#infra/constructs/api-access-log.ts';

describe('the API access log', () => {
  it('logs the route template, never the path or query string (a customer id, an email address looked up)', () => {
    const fields = Object.values(JSON.parse(API_ACCESS_LOG_FORMAT.toString()) as Record<string, string>);
    expect(fields).toContain('$context.routeKey');
    for (const field of fields) expect(field).not.toMatch(/path|query|identity|sourceIp/i);
  });
});
