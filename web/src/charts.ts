// Trend charts (uPlot): a daily series over the selected period. A chart is drawn once and then fed new data
// on each live refresh (rebuilding it would flicker and drop the hover legend), and follows its box's width.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el } from './dom.js';
import { MISSING } from './format.js';
import { onMorph } from './morph.js';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

interface ChartData {
  /** Unix seconds at UTC midnight. */
  days: number[];
  series: readonly Series[];
  format: (v: number) => string;
}

interface Handle {
  figure: HTMLElement;
  plotArea: HTMLElement;
  data: ChartData;
  plot?: uPlot;
  resize?: ResizeObserver;
}

const HEIGHT = 200;
const mounted = new Set<Handle>();
const dataOf = new WeakMap<Element, ChartData>();
// Axis ticks stay short ("30K") so they fit a phone; the legend shows the exact figure.
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const dayLabel = (v: number | null) => (v === null ? MISSING : new Date(v * 1000).toISOString().slice(0, 10));

export function trendChart(title: string, days: number[], series: readonly Series[], format: (v: number) => string): HTMLElement {
  const plotArea = el('div', { class: 'plot', role: 'img', 'aria-label': `${title}: daily trend chart; the figures are in the table of daily figures` });
  const figure = el('figure', { class: 'chart', 'data-key': `chart:${title}` }, el('figcaption', {}, title), plotArea);
  const handle: Handle = { figure, plotArea, data: { days, series, format } };
  dataOf.set(figure, handle.data);
  onMorph(figure, (next) => {
    const data = dataOf.get(next);
    if (data) update(handle, data);
  });
  // uPlot needs a width, known once the figure is in the document. A figure that only carried new data into an
  // existing chart (see morph.ts) never gets there and draws nothing.
  requestAnimationFrame(() => mount(handle));
  return figure;
}

function mount(h: Handle): void {
  if (h.plot || !h.figure.isConnected) return;
  const { days, series, format } = h.data;
  h.plot = new uPlot({
    width: Math.max(200, h.plotArea.clientWidth), height: HEIGHT,
    scales: { x: { time: true } },
    axes: [{}, { values: (_u, ticks) => ticks.map((t) => compact.format(t)), size: 50 }],
    series: [
      { label: 'Day', value: (_u: uPlot, v: number | null) => dayLabel(v) },
      ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, value: (_u: uPlot, v: number | null) => (v === null ? MISSING : format(v)) })),
    ],
  }, aligned(h.data), h.plotArea);
  h.resize = new ResizeObserver(() => {
    const width = Math.max(200, h.plotArea.clientWidth);
    if (h.plot && width !== h.plot.width) h.plot.setSize({ width, height: HEIGHT });
  });
  h.resize.observe(h.plotArea);
  mounted.add(h);
}

function update(h: Handle, data: ChartData): void {
  const sameSeries = data.series.length === h.data.series.length && data.series.every((s, i) => s.label === h.data.series[i].label);
  h.data = data;
  if (!h.plot) return; // not drawn yet: mount() will use the newest data
  if (sameSeries) h.plot.setData(aligned(data));
  else {
    destroy(h);
    mount(h);
  }
}

function aligned(d: ChartData): uPlot.AlignedData {
  return [d.days, ...d.series.map((s) => s.values)] as uPlot.AlignedData;
}

function destroy(h: Handle): void {
  h.resize?.disconnect();
  h.plot?.destroy();
  h.plot = undefined;
  h.resize = undefined;
  mounted.delete(h);
}

/** Frees the charts whose figures left the page (another view, or a period without data). */
export function sweepCharts(): void {
  for (const h of [...mounted]) if (!h.figure.isConnected) destroy(h);
}
