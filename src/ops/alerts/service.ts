// Alerts in a running service: the rules are evaluated after every published snapshot and on a timer (so a
// pipeline that stopped, or data that stopped arriving, is noticed when nothing runs); each breach is posted to
// the webhook once when it starts and once when it clears. A post that fails is retried with back-off, and if it
// still fails it stays queued and is tried again after the next evaluation, in order. The config file is re-read
// when it changes; a broken edit is logged and the previous config stays in force.
import { statSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Snapshot } from '../../api/snapshots.js';
import { isStorePulseError } from '../../errors/catalogue.js';
import type { Kpis } from '../../kpi/kpi-keys.js';
import { queryKpis, type KpiTotal } from '../../kpi/kpi-service.js';
import type { Warehouse } from '../../warehouse/engine.js';
import { loadAlertsConfig, type AlertsConfig } from './config.js';
import { evaluateRules, readFacts, type RuleResult } from './rules.js';
import { AlertState, type RuleStatus, type Transition } from './state.js';
import { alertPayload, postWebhook } from './webhook.js';

export interface AlertsView {
  /** False when no alerts config is in use. */
  enabled: boolean;
  config: string | null;
  /** Whether breaches are posted to a webhook (its URL is not shown: it often holds a secret). */
  notifying: boolean;
  evaluated_at: string | null;
  /** How often the rules are evaluated without a snapshot (ms); the dashboard polls no faster. */
  evaluate_every_ms: number | null;
  /** Firing rules, longest-standing first. */
  active: RuleStatus[];
  /** Every rule with its state at the last evaluation. */
  rules: RuleResult[];
  /** The last transitions (firing, resolved), newest first. */
  history: readonly Transition[];
  /** Notifications not yet delivered to the webhook. */
  undelivered: number;
}

/** What a snapshot hub offers the alerts: the current snapshot and the next ones. */
export interface SnapshotSource {
  current(): Snapshot | undefined;
  subscribe(listener: (s: Snapshot) => void): () => void;
}

export interface AlertServiceOptions {
  wh: Warehouse;
  /** The config file; null: alerts are off (the view says so). */
  configFile: string | null;
  /** Where breach state persists; null: in memory only. */
  stateFile: string | null;
  logger: Logger;
  /** KPIs come from the published snapshots when given; otherwise they are queried. */
  snapshots?: SnapshotSource;
  /** Post transitions to the webhook (default true). */
  notify?: boolean;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
  /** Webhook retry policy within one delivery attempt. */
  retry?: { attempts: number; backoffMs: number };
}

export class AlertService {
  private config: AlertsConfig | null;
  private configStamp: string | null;
  private readonly state: AlertState;
  private readonly now: () => number;
  private results: RuleResult[] = [];
  private evaluatedAt: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private evaluating: Promise<void> | null = null;
  private evaluateAgain = false;
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private stopped = false;

  /** Loads the config (throws SP_ERR_BAD_CONFIG when it is invalid) and the saved breach state. */
  constructor(private readonly options: AlertServiceOptions) {
    this.now = options.now ?? Date.now;
    this.config = options.configFile ? loadAlertsConfig(options.configFile, options.env) : null;
    this.configStamp = options.configFile ? stamp(options.configFile) : null;
    this.state = new AlertState(options.stateFile, (message, err) => options.logger.warn({ err }, message));
  }

  get enabled(): boolean {
    return this.config !== null;
  }

  /** Evaluates after every snapshot and every `evaluate_every`. */
  start(): void {
    if (!this.config) return;
    this.unsubscribe = this.options.snapshots?.subscribe(() => void this.evaluate());
    this.schedule();
    void this.evaluate();
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    if (!this.config || this.stopped) return;
    this.timer = setInterval(() => void this.evaluate(), this.config.evaluateEveryMs);
    this.timer.unref();
  }

  /** One evaluation (evaluations never overlap: one asked for meanwhile runs right after). */
  evaluate(): Promise<void> {
    if (this.evaluating) {
      this.evaluateAgain = true;
      return this.evaluating;
    }
    this.evaluating = (async () => {
      do {
        this.evaluateAgain = false;
        try {
          await this.evaluateOnce();
        } catch (e) {
          this.options.logger.warn({ err: e }, 'alert evaluation failed; trying again at the next one');
        }
      } while (this.evaluateAgain && !this.stopped);
    })().finally(() => { this.evaluating = null; });
    return this.evaluating;
  }

  /** Evaluates once and returns every rule's result; a failure is thrown, not logged (for `storepulse alerts`). */
  async evaluateNow(): Promise<RuleResult[]> {
    await this.evaluating;
    await this.evaluateOnce();
    return this.results;
  }

  private reloadIfChanged(): void {
    const file = this.options.configFile;
    if (!file) return;
    const now = stamp(file);
    if (now === this.configStamp) return;
    this.configStamp = now;
    if (now === null) {
      this.options.logger.warn({ config: file }, 'the alerts config file is gone; the rules loaded last stay in force');
      return;
    }
    try {
      const next = loadAlertsConfig(file, this.options.env);
      const interval = this.config?.evaluateEveryMs;
      this.config = next;
      if (next.evaluateEveryMs !== interval && this.timer) this.schedule();
      this.options.logger.info({ config: file }, 'alerts config reloaded');
    } catch (e) {
      this.options.logger.error({ config: file, code: isStorePulseError(e) ? e.code : undefined, err: e },
        `the changed alerts config is invalid, so the previous one stays in force: ${(e as Error).message}`);
    }
  }

  private async evaluateOnce(): Promise<void> {
    this.reloadIfChanged();
    const config = this.config;
    if (!config || this.stopped) return;
    const facts = await readFacts(this.options.wh, await this.kpis(config));
    const now = this.now();
    const results = evaluateRules(config, facts, now);
    const notify = (this.options.notify ?? true) && config.webhook !== null;
    const transitions = this.state.apply(results, now, notify);
    this.results = results;
    this.evaluatedAt = now;
    for (const t of transitions) {
      const fields = { rule: t.rule, status: t.status, value: t.value, threshold: t.threshold, since: t.since };
      if (t.status === 'firing') this.options.logger.warn(fields, `alert firing: ${t.message}`);
      else this.options.logger.info(fields, `alert resolved: ${t.message}`);
    }
    // Delivery runs beside the evaluations, so a slow webhook does not hold them up.
    if (this.state.pending().length > 0) {
      this.flush().catch((e: unknown) => this.options.logger.error({ err: e }, 'alert delivery failed'));
    }
  }

  private async kpis(config: AlertsConfig): Promise<Kpis | null> {
    if (config.kpis.length === 0) return null;
    if (this.options.snapshots) return this.options.snapshots.current()?.kpis ?? null;
    try {
      return ((await queryKpis(this.options.wh, {})) as KpiTotal).kpis;
    } catch (e) {
      if (isStorePulseError(e) && e.code === 'SP_ERR_NO_DATA') return null;
      throw e;
    }
  }

  /** Delivers the queued notifications in order; stops at the first that fails (it is tried again next time). */
  flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.flushAgain = false;
        await this.flushOnce();
      } while (this.flushAgain && !this.stopped);
    })().finally(() => { this.flushing = null; });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const url = this.config?.webhook;
    if (!url) return;
    for (const t of [...this.state.pending()]) {
      if (this.stopped) return;
      try {
        await postWebhook(url, alertPayload(t), {
          timeoutMs: this.config!.webhookTimeoutMs, attempts: this.options.retry?.attempts ?? 3, backoffMs: this.options.retry?.backoffMs ?? 500,
          onFailure: (attempt, err) => this.options.logger.warn({ rule: t.rule, status: t.status, attempt, err: err.message }, 'alert webhook post failed'),
        });
        this.state.delivered(t.id);
        this.options.logger.info({ rule: t.rule, status: t.status, id: t.id }, 'alert posted to the webhook');
      } catch (e) {
        this.options.logger.error({ rule: t.rule, status: t.status, undelivered: this.state.pending().length, err: (e as Error).message },
          'alert not delivered; it stays queued and is posted again after the next evaluation');
        return;
      }
    }
  }

  /** Resolves once no evaluation and no delivery is in progress. */
  async idle(): Promise<void> {
    while (this.evaluating || this.flushing) {
      await this.evaluating;
      await this.flushing;
    }
  }

  /** The view once an evaluation in progress (say, of the snapshot just published) is done. */
  async current(): Promise<AlertsView> {
    await this.evaluating;
    return this.view();
  }

  view(): AlertsView {
    return {
      enabled: this.config !== null,
      config: this.options.configFile,
      notifying: (this.options.notify ?? true) && Boolean(this.config?.webhook),
      evaluated_at: this.evaluatedAt === null ? null : new Date(this.evaluatedAt).toISOString(),
      evaluate_every_ms: this.config?.evaluateEveryMs ?? null,
      active: this.state.active(),
      rules: this.results,
      history: this.state.recent(),
      undelivered: this.state.pending().length,
    };
  }

  /** Stops evaluating; waits for an evaluation in progress, and briefly for a delivery in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.evaluating;
    // A delivery cut short stays queued in the state file and is posted after the next start.
    if (this.flushing) await Promise.race([this.flushing, new Promise((r) => setTimeout(r, 2_000).unref())]);
  }
}

/** Changes when the file does (null when it is missing). */
function stamp(file: string): string | null {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return null;
  }
}
