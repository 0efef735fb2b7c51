/**
 * The saved Athena queries of a stage's results (Athena engine version 3, Trino SQL), over the
 * table of counted result events. Each reads the last 30 days — change the window in the query
 * editor — and counts every event once: Firehose delivers at least once, so an event may sit in S3
 * twice, and `event_id` tells the copies apart. The `day` partition keeps each query to the days it
 * reads (partition projection: no crawler, no partition list).
 */

export interface SavedQuery {
  /** Short id: the construct id and the end of the query's name. */
  id: string;
  name: string;
  description: string;
  sql: string;
}

/** Days the saved queries read, back from today (UTC). */
export const SAVED_QUERY_DAYS = 30;

/** The counted events of the window, each once. */
function eventsOf(table: string): string {
  return `WITH events AS (
  SELECT *
  FROM (
    SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY "at") AS copy_rank
    FROM ${table}
    WHERE "day" >= date_format(current_date - INTERVAL '${SAVED_QUERY_DAYS}' DAY, '%Y-%m-%d')
  )
  WHERE copy_rank = 1
)`;
}

/** Returns the saved queries over `table` (a qualified, quoted name: `"database"."table"`). */
export function savedResultsQueries(table: string): SavedQuery[] {
  const events = eventsOf(table);
  return [
    {
      id: 'conversion-per-arm',
      name: 'Conversion per experiment arm',
      description: `Runs per arm of each experiment, those that reached the goal, and the share (last ${SAVED_QUERY_DAYS} days).`,
      sql: `${events}
SELECT journey_id, experiment_id, arm,
  count(DISTINCT CASE WHEN kind = 'planned' THEN run_id END) AS runs,
  count(DISTINCT CASE WHEN kind = 'goalReached' THEN run_id END) AS runs_with_goal,
  round(
    CAST(count(DISTINCT CASE WHEN kind = 'goalReached' THEN run_id END) AS double)
      / nullif(count(DISTINCT CASE WHEN kind = 'planned' THEN run_id END), 0),
    4
  ) AS conversion
FROM events
WHERE experiment_id <> 'none'
GROUP BY journey_id, experiment_id, arm
ORDER BY journey_id, experiment_id, arm`,
    },
    {
      id: 'funnel-per-step',
      name: 'Funnel per step',
      description: `Per journey step, channel and text variant: planned, skipped, sent, delivered, opened, clicked (email links, or the first short link of an SMS), replied, the click rate of what was delivered, goal reached (attributed to the last message), and what went wrong (last ${SAVED_QUERY_DAYS} days).`,
      sql: `${events}
SELECT journey_id, step_id, channel, variant,
  count_if(kind = 'planned') AS planned,
  count_if(kind = 'skipped') AS skipped,
  count_if(kind = 'sent') AS sent,
  count_if(kind = 'delivered') AS delivered,
  count_if(kind = 'opened') AS opened,
  count_if(kind = 'clicked') AS clicked,
  count_if(kind = 'replied') AS replied,
  round(
    CAST(count_if(kind = 'clicked') AS double) / nullif(count_if(kind = 'delivered'), 0),
    4
  ) AS click_rate,
  count_if(kind = 'goalReached') AS goal_reached,
  count_if(kind = 'bounced') AS bounced,
  count_if(kind = 'optedOut') AS opted_out,
  count_if(kind = 'complained') AS complained
FROM events
GROUP BY journey_id, step_id, channel, variant
ORDER BY journey_id, step_id, channel, variant`,
    },
    {
      id: 'cost-per-goal',
      name: 'Cost per goal reached',
      description: `Per journey and experiment arm: delivery and orchestration cost in USD, goals reached, and USD per goal (last ${SAVED_QUERY_DAYS} days).`,
      sql: `${events}
SELECT journey_id, experiment_id, arm,
  round(sum(delivery_cost_micro_usd) / 1e6, 4) AS delivery_usd,
  round(sum(orchestration_cost_micro_usd) / 1e6, 4) AS orchestration_usd,
  count_if(kind = 'goalReached') AS goals,
  round(
    (sum(delivery_cost_micro_usd) + sum(orchestration_cost_micro_usd)) / 1e6
      / nullif(count_if(kind = 'goalReached'), 0),
    4
  ) AS usd_per_goal
FROM events
GROUP BY journey_id, experiment_id, arm
ORDER BY journey_id, experiment_id, arm`,
    },
    {
      id: 'days-to-payment',
      name: 'Days to payment',
      description: `Payment reminder: how many invoices were paid after how many whole days from the run's start, per experiment arm, with each day's share (last ${SAVED_QUERY_DAYS} days).`,
      sql: `${events}
SELECT experiment_id, arm, goal_days,
  count(*) AS payments,
  round(CAST(count(*) AS double) / sum(count(*)) OVER (PARTITION BY experiment_id, arm), 4) AS share
FROM events
WHERE journey_id = 'payment-reminder' AND kind = 'goalReached' AND goal_days IS NOT NULL
GROUP BY experiment_id, arm, goal_days
ORDER BY experiment_id, arm, goal_days`,
    },
  ];
}
