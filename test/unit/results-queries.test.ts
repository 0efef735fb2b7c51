/**
 * The saved Athena queries name only what the results table has: its columns, its partition, the
 * kinds of event the recorder counts. Checked on the SQL text (no Athena offline): every identifier
 * outside string literals is a column, a name the query itself introduces (`AS x`, the `events`
 * CTE), or SQL; every quoted name is the table or a column; every kind compared is a counted kind.
 */
import { describe, expect, it } from 'vitest';
import { RESULT_EVENT_COLUMNS, RESULT_EVENT_PARTITION_KEY } from '#core/result-event-record.ts';
import { RESULT_COUNTERS } from '#core/results.ts';
import { savedResultsQueries } from '#infra/constructs/results-queries.ts';

const TABLE = '"klantreis_test_results"."result_events"';
const COLUMNS = new Set([...Object.keys(RESULT_EVENT_COLUMNS), RESULT_EVENT_PARTITION_KEY]);
/** What `kind` holds: the counters of the results model. */
const KINDS: readonly string[] = RESULT_COUNTERS;
/** Keywords and functions of Athena engine version 3 (Trino) that the queries use. */
const SQL = new Set(
  `with as select from where and or not is null group by order over partition row_number count
  count_if distinct case when then else end round cast double nullif sum date_format current_date
  interval day in having limit desc asc`.split(/\s+/),
);

/** Returns the query without string literals and comments. */
const code = (sql: string) => sql.replace(/'[^']*'/g, "''").replace(/--[^\n]*/g, '');

/** Returns the names in a query that are neither the table's columns, the query's own aliases nor SQL. */
function unknownNames(sql: string): string[] {
  const text = code(sql).replaceAll(TABLE, ' ');
  const quoted = [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');
  const bare = text.replace(/"[^"]*"/g, ' ');
  const aliases = new Set([...bare.matchAll(/\bAS\s+([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]?.toLowerCase()));
  aliases.add('events');
  const identifiers = [...bare.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b/g)].map((m) => m[0]);
  return [
    ...quoted.filter((name) => !COLUMNS.has(name)),
    ...identifiers.filter((word) => {
      const lower = word.toLowerCase();
      return !COLUMNS.has(word) && !aliases.has(lower) && !SQL.has(lower);
    }),
  ];
}

describe.each(savedResultsQueries(TABLE).map((q) => [q.name, q.sql] as const))('saved query %s', (_, sql) => {
  it('names only the table’s columns, its own aliases and SQL', () => {
    expect(unknownNames(sql)).toEqual([]);
  });

  it('compares kind only with kinds the recorder counts', () => {
    const compared = [...sql.matchAll(/kind = '([^']+)'/g)].map((m) => m[1]);
    expect(compared.length).toBeGreaterThan(0);
    expect(compared.filter((kind) => !KINDS.includes(kind ?? ''))).toEqual([]);
  });

  it('counts each event once, within the day partitions it reads', () => {
    expect(sql).toContain('row_number() OVER (PARTITION BY event_id');
    expect(sql).toContain('WHERE copy_rank = 1');
    expect(sql).toMatch(/WHERE "day" >= /);
  });
});

describe('the name check', () => {
  it('finds a misspelt column, a quoted one and a column of another table', () => {
    const [query] = savedResultsQueries(TABLE);
    const broken = (query?.sql ?? '')
      .replace('experiment_id,', 'experimentid,')
      .replace('"at"', '"happened_at"')
      .replace('FROM events', 'FROM events JOIN other ON customer_id = customer_key');
    expect(unknownNames(broken).sort()).toEqual(
      ['JOIN', 'ON', 'customer_id', 'experimentid', 'happened_at', 'other'].sort(),
    );
  });
});
