import type { JourneyView } from '../../api/journeys.ts';

const BOX_W = 176;
const BOX_H = 44;
const GAP_X = 24;
const GAP_Y = 28;

/** Rows by distance from the start along the edges a run follows (a Retry loops in place: left out). */
export function layoutOf(journey: JourneyView): Map<string, { x: number; y: number }> {
  const depth = new Map<string, number>([[journey.startAt, 0]]);
  const queue = [journey.startAt];
  while (queue.length > 0) {
    const from = queue.shift() as string;
    for (const edge of journey.edges) {
      if (edge.from !== from || edge.kind === 'retry' || depth.has(edge.to)) continue;
      depth.set(edge.to, (depth.get(from) ?? 0) + 1);
      queue.push(edge.to);
    }
  }
  let deepest = Math.max(0, ...depth.values());
  for (const state of journey.states) if (!depth.has(state.name)) depth.set(state.name, ++deepest);
  const rows = new Map<number, string[]>();
  for (const state of journey.states) {
    const row = depth.get(state.name) ?? 0;
    rows.set(row, [...(rows.get(row) ?? []), state.name]);
  }
  const at = new Map<string, { x: number; y: number }>();
  for (const [row, names] of rows) {
    names.forEach((name, column) => {
      at.set(name, { x: column * (BOX_W + GAP_X) + GAP_X, y: row * (BOX_H + GAP_Y) + GAP_Y });
    });
  }
  return at;
}

/**
 * The journey drawn: one box per state (its running runs in the corner), solid arrows for the usual
 * path, dashed ones for a Catch. A picture for the eye; the list beside it says the same in words.
 */
export function JourneyGraph({ journey, label }: { journey: JourneyView; label: string }) {
  const at = layoutOf(journey);
  const width = Math.max(...[...at.values()].map((p) => p.x)) + BOX_W + GAP_X;
  const height = Math.max(...[...at.values()].map((p) => p.y)) + BOX_H + GAP_Y;
  const markerId = `arrow-${journey.journeyId}`;
  return (
    // Focusable, so the drawing scrolls by keyboard too.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region needs focus to scroll by keyboard.
    <section class="graph-scroll" tabIndex={0} aria-label={label}>
      <svg
        class="journey-graph"
        role="img"
        aria-label={label}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
      >
        <defs>
          <marker
            id={markerId}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" />
          </marker>
        </defs>
        {journey.edges
          .filter((e) => e.kind !== 'retry')
          .map((edge) => {
            const from = at.get(edge.from);
            const to = at.get(edge.to);
            if (!from || !to) return null;
            const x1 = from.x + BOX_W / 2;
            const y1 = from.y + BOX_H;
            const x2 = to.x + BOX_W / 2;
            const y2 = to.y <= from.y ? to.y + BOX_H : to.y;
            return (
              <line
                key={`${edge.from}-${edge.to}-${edge.kind}`}
                class={`edge edge-${edge.kind}`}
                x1={x1}
                y1={y1}
                x2={x2}
                y2={y2}
                marker-end={`url(#${markerId})`}
              />
            );
          })}
        {journey.states.map((state) => {
          const p = at.get(state.name);
          if (!p) return null;
          return (
            <g
              key={state.name}
              class={`state state-${state.type.toLowerCase()}${state.running > 0 ? ' busy' : ''}`}
            >
              <rect x={p.x} y={p.y} width={BOX_W} height={BOX_H} rx="6" />
              <text x={p.x + 8} y={p.y + 18}>
                {state.name.length > 22 ? `${state.name.slice(0, 21)}…` : state.name}
              </text>
              <text x={p.x + 8} y={p.y + 36} class="state-type">
                {state.type}
              </text>
              {state.running > 0 ? (
                <text x={p.x + BOX_W - 8} y={p.y + 36} class="state-count" text-anchor="end">
                  {state.running}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </section>
  );
}
