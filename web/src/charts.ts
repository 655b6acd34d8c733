// Trend charts (uPlot): a daily series over the selected period, sized to its container and redrawn on resize.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el } from './dom.js';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

const charts = new Set<uPlot>();
// Axis ticks stay short ("30K") so they fit a phone; the legend shows the exact figure.
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Forgets the charts of the previous render (their nodes were replaced). */
export function resetCharts(): void {
  for (const c of charts) c.destroy();
  charts.clear();
}

export function trendChart(title: string, days: readonly number[], series: readonly Series[], format: (v: number) => string): HTMLElement {
  const box = el('figure', { class: 'chart' }, el('figcaption', {}, title));
  const plotArea = el('div', { class: 'plot', role: 'img', 'aria-label': `${title}: a daily trend chart; the same figures are in the table by date` });
  box.append(plotArea);
  // uPlot needs a width; measure once the node is in the document.
  requestAnimationFrame(() => {
    const width = Math.max(240, plotArea.clientWidth);
    const chart = new uPlot({
      width, height: 200,
      scales: { x: { time: true } },
      axes: [{}, { values: (_u, ticks) => ticks.map((t) => compact.format(t)), size: 50 }],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)) }))],
    }, [days as number[], ...series.map((s) => s.values)] as uPlot.AlignedData, plotArea);
    charts.add(chart);
  });
  return box;
}

window.addEventListener('resize', () => {
  for (const c of charts) {
    const parent = c.root.parentElement;
    if (parent) c.setSize({ width: Math.max(240, parent.clientWidth), height: 200 });
  }
});
