/**
 * An experiment's arms as a chart: each arm's conversion with its Wilson 95 % interval as a whisker.
 * uPlot is loaded with this module only, which the results page loads when it has arms to draw.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ArmReport } from '../../api/journeys.ts';

export default function ArmsChart({ arms, label }: { arms: readonly ArmReport[]; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const xs = arms.map((_, i) => i);
    const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : v * 100);
    const data: uPlot.AlignedData = [
      xs,
      arms.map((a) => pct(a.conversion)),
      arms.map((a) => pct(a.interval.low)),
      arms.map((a) => pct(a.interval.high)),
    ];
    const width = Math.min(host.current.clientWidth || 320, 640);
    const plot = new uPlot(
      {
        width,
        height: 220,
        scales: { x: { time: false, range: [-0.5, arms.length - 0.5] }, y: { range: [0, 100] } },
        axes: [
          { values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? (arms[t]?.arm ?? '') : '')) },
          { values: (_u, ticks) => ticks.map((t) => `${t} %`) },
        ],
        series: [
          {},
          { label: 'conversion', stroke: '#0b57d0', width: 0, points: { size: 9, fill: '#0b57d0' } },
          { label: '95 % low', show: false },
          { label: '95 % high', show: false },
        ],
        legend: { show: false },
        cursor: { show: false },
        hooks: {
          draw: [
            (u) => {
              const { ctx } = u;
              ctx.save();
              ctx.strokeStyle = '#1b1f24';
              ctx.lineWidth = 2;
              arms.forEach((arm, i) => {
                const x = u.valToPos(i, 'x', true);
                const low = u.valToPos((arm.interval.low ?? 0) * 100, 'y', true);
                const high = u.valToPos((arm.interval.high ?? 0) * 100, 'y', true);
                ctx.beginPath();
                ctx.moveTo(x, low);
                ctx.lineTo(x, high);
                ctx.moveTo(x - 6, low);
                ctx.lineTo(x + 6, low);
                ctx.moveTo(x - 6, high);
                ctx.lineTo(x + 6, high);
                ctx.stroke();
              });
              ctx.restore();
            },
          ],
        },
      },
      data,
      host.current,
    );
    return () => plot.destroy();
  }, [arms]);
  return <div ref={host} class="arms-chart" role="img" aria-label={label} />;
}
