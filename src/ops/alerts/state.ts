// Breach state: which rules are firing since when, the recent transitions, and the notifications not yet
// delivered. A breach notifies once when it starts and once when it clears; a rule that stays broken (or stays
// fine) posts nothing more.
//
// The state is kept in a small JSON file in the home (<home>/alerts-state.json), not in a meta table, because:
// writing to the warehouse takes its single-writer lock, which every micro-batch needs, so an alert evaluation
// would stall the pipeline it watches (and a warehouse that is down or locked would also stop the alerts that say
// so); the state belongs to the process that notifies, and several processes may share one PostgreSQL warehouse,
// each with its own config; and a file is the same on both engines. It is rewritten (atomically: a temporary file,
// then a rename) only when a rule changes state or a notification is delivered, so a restart of `serve` carries on
// where it stopped and posts nothing that was already posted.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RuleKind, RuleResult } from './rules.js';

export const statePath = (home: string) => join(home, 'alerts-state.json');

export interface RuleStatus {
  rule: string;
  kind: RuleKind;
  status: 'firing' | 'ok';
  /** When the current status began (ISO). */
  since: string;
  value: number | null;
  threshold: number;
  unit: 'ms' | 'kpi';
  message: string;
}

/** One change of a rule's status: what is posted to the webhook and listed in the history. */
export interface Transition {
  /** Unique per notification, so a receiver can drop a repeat (a post whose answer was lost is sent again). */
  id: string;
  rule: string;
  kind: RuleKind;
  status: 'firing' | 'resolved';
  value: number | null;
  threshold: number;
  unit: 'ms' | 'kpi';
  message: string;
  /** When the breach began. */
  since: string;
  /** When this transition happened. */
  at: string;
}

interface StateFile {
  version: 1;
  rules: Record<string, RuleStatus>;
  history: Transition[];
  outbox: Transition[];
}

export const HISTORY_SIZE = 50;
/** Undelivered notifications kept while the webhook is down; beyond this the oldest are dropped (and logged). */
export const OUTBOX_SIZE = 200;

export class AlertState {
  private rules = new Map<string, RuleStatus>();
  private history: Transition[] = [];
  private outbox: Transition[] = [];

  /** file: where the state persists (null: memory only). */
  constructor(private readonly file: string | null, private readonly warn: (message: string, err?: unknown) => void = () => undefined) {
    if (file) this.load(file);
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return; // first start
    }
    try {
      const s = JSON.parse(text) as StateFile;
      if (s.version !== 1) throw new Error(`unknown version ${String(s.version)}`);
      this.rules = new Map(Object.entries(s.rules ?? {}));
      this.history = s.history ?? [];
      this.outbox = s.outbox ?? [];
    } catch (e) {
      // A damaged file must not stop the service: start afresh (a breach still active is then posted again).
      this.warn(`the alert state file ${file} is damaged and was ignored`, e);
    }
  }

  private save(): void {
    if (!this.file) return;
    const state: StateFile = { version: 1, rules: Object.fromEntries(this.rules), history: this.history, outbox: this.outbox };
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 1) + '\n');
    renameSync(tmp, this.file);
  }

  /**
   * Takes one evaluation's results; returns the transitions it caused (each also queued for delivery when
   * `notify`). Unknown results leave a rule as it was; a firing rule that left the config resolves.
   */
  apply(results: readonly RuleResult[], now: number, notify: boolean): Transition[] {
    const at = new Date(now).toISOString();
    const transitions: Transition[] = [];
    const seen = new Set<string>();
    let changed = false;
    for (const r of results) {
      seen.add(r.rule);
      const prev = this.rules.get(r.rule);
      if (r.state === 'unknown') continue;
      const status = r.state === 'breached' ? 'firing' : 'ok';
      const current = { rule: r.rule, kind: r.kind, value: r.value, threshold: r.threshold, unit: r.unit, message: r.message };
      if (prev && prev.status === status) {
        Object.assign(prev, current); // the latest value, in memory only: nothing to notify
        continue;
      }
      this.rules.set(r.rule, { ...current, status, since: at });
      changed = true;
      // The first sight of a fine rule is no news; a rule first seen broken is a breach.
      if (status === 'firing') transitions.push({ ...current, id: `${r.rule}@${at}:firing`, status: 'firing', since: at, at });
      else if (prev) transitions.push({ ...current, id: `${r.rule}@${prev.since}:resolved`, status: 'resolved', since: prev.since, at });
    }
    for (const [rule, prev] of this.rules) {
      if (seen.has(rule)) continue;
      this.rules.delete(rule);
      changed = true;
      if (prev.status === 'firing') {
        transitions.push({ ...prev, id: `${rule}@${prev.since}:resolved`, status: 'resolved', message: `${rule} was removed from the alerts config`, at });
      }
    }
    if (changed) {
      this.history = [...transitions.slice().reverse(), ...this.history].slice(0, HISTORY_SIZE);
      if (notify) {
        this.outbox.push(...transitions);
        if (this.outbox.length > OUTBOX_SIZE) {
          const dropped = this.outbox.splice(0, this.outbox.length - OUTBOX_SIZE);
          this.warn(`${dropped.length} undelivered alert notification(s) were dropped: the webhook has been failing for long`);
        }
      }
      this.save();
    }
    return transitions;
  }

  /** Notifications waiting for delivery, oldest first. */
  pending(): readonly Transition[] {
    return this.outbox;
  }

  delivered(id: string): void {
    const i = this.outbox.findIndex((t) => t.id === id);
    if (i < 0) return;
    this.outbox.splice(i, 1);
    this.save();
  }

  /** Firing rules, longest-standing first. */
  active(): RuleStatus[] {
    return [...this.rules.values()].filter((r) => r.status === 'firing').sort((a, b) => a.since.localeCompare(b.since));
  }

  /** Every rule that has been judged, with its status. */
  all(): RuleStatus[] {
    return [...this.rules.values()];
  }

  /** The last transitions, newest first. */
  recent(): readonly Transition[] {
    return this.history;
  }
}
