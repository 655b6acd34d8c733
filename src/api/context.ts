// What the API routes share: the warehouse, settings, live state.
import type { Access } from '../auth/route-access.js';
import type { TokenService } from '../auth/tokens.js';
import type { AlertsView } from '../ops/alerts/service.js';
import type { FreshnessWindow } from '../ops/freshness.js';
import type { Metrics } from '../ops/metrics.js';
import type { Warehouse } from '../warehouse/engine.js';
import type { AnswerCache } from './answer-cache.js';
import type { SnapshotHub } from './snapshots.js';

export interface ApiContext {
  wh: Warehouse;
  baseCurrency: string;
  freshness: FreshnessWindow;
  snapshots: SnapshotHub;
  /** Called when new data landed, so the pipeline loop runs soon. */
  dataArrived: () => void;
  bodyLimit: number;
  metrics: Metrics;
  /** Answers of read endpoints until the next published snapshot. */
  answers: AnswerCache;
  /** Alert rules and their state (absent outside `serve`). */
  alerts?: { current(): Promise<AlertsView> };
  /** Checks bearer tokens; without it every protected route answers 401. */
  tokens?: TokenService;
  /** Who may post to /api/ingest (default: public, as the demo and existing shop clients post without a token). */
  ingestAccess?: Access;
}

export const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

export const WINDOW_QUERY = {
  from: { ...DATE, description: 'first day (inclusive); default: first day with data' },
  to: { ...DATE, description: 'last day (exclusive); default: day after the last day with data' },
} as const;

export const FILTER_QUERY = {
  ...WINDOW_QUERY,
  channel: { type: 'string', minLength: 1, maxLength: 64 },
  country: { type: 'string', minLength: 1, maxLength: 64 },
  category: { type: 'string', minLength: 1, maxLength: 200 },
  lineage: { type: 'boolean', default: false, description: 'add the gold tables and source batches the answer read' },
} as const;
