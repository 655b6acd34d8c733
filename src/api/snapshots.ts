// The latest published KPI snapshot and the clients listening for the next one (Server-Sent Events).
import type { Kpis } from '../kpi/kpi-keys.js';

export interface Health {
  status: 'ok' | 'degraded';
  warehouse: string;
  as_of: string | null;
  last_run: { run_id: number; status: string; finished_at: string | null; ms: number | null; error?: string | null } | null;
  freshness: { batches: number; p50_ms: number | null; p95_ms: number | null };
  rejects: number;
  pending: number;
}

export interface Snapshot {
  run_id: number | null;
  /** Latest ingestion time the snapshot includes. */
  as_of: string | null;
  published_at: string;
  from: string | null;
  to: string | null;
  kpis: Kpis | null;
  health: Health;
}

type Listener = (s: Snapshot) => void;

export class SnapshotHub {
  private latest: Snapshot | undefined;
  private readonly listeners = new Set<Listener>();

  current(): Snapshot | undefined {
    return this.latest;
  }

  publish(snapshot: Snapshot): void {
    this.latest = snapshot;
    for (const l of this.listeners) l(snapshot);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
