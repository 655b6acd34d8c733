// Ingestion-to-publication delays of the last micro-batches, and their percentiles for /api/health.
export class FreshnessWindow {
  private readonly delays: number[] = [];

  constructor(private readonly size = 200) {}

  record(delayMs: number): void {
    this.delays.push(delayMs);
    if (this.delays.length > this.size) this.delays.shift();
  }

  /** Nearest-rank percentile over the window (null before the first batch). */
  percentile(p: number): number | null {
    if (this.delays.length === 0) return null;
    const sorted = [...this.delays].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank];
  }

  summary(): { batches: number; p50_ms: number | null; p95_ms: number | null } {
    return { batches: this.delays.length, p50_ms: this.percentile(50), p95_ms: this.percentile(95) };
  }
}
