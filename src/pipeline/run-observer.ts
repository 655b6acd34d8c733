// What a run tells the outside while it happens: lineage emitters, metrics and logs listen here,
// so the run itself stays about data. An observer's failure never fails the run.
import type { TestOutcome } from '../quality/test-outcome.js';
import type { ModelResult } from './model-runner.js';
import type { RunSummary } from './run.js';

export interface StepEvent {
  runId: number;
  /** Output table: silver.<entity> for a silver step, gold.<model> for a model. */
  step: string;
  layer: 'silver' | 'gold';
  /** Tables the step reads (bronze.<entity> for silver steps). */
  inputs: string[];
  at: string;
}

export interface StepFinished extends StepEvent {
  /** Rows written (inserted) by the step. */
  rows: number;
  result?: ModelResult;
  tests: TestOutcome[];
}

export interface RunObserver {
  runStarted?(e: { runId: number; at: string; fullRefresh: boolean }): void | Promise<void>;
  stepStarted?(e: StepEvent): void | Promise<void>;
  stepFinished?(e: StepFinished): void | Promise<void>;
  /** Every step of the run finished and its gold is committed. */
  runSucceeded?(e: { runId: number; at: string; summary: RunSummary }): void | Promise<void>;
  /** The run was rolled back; `step` is the step that failed, when one did. */
  runFailed?(e: { runId: number; at: string; error: Error; step?: string; tests: TestOutcome[] }): void | Promise<void>;
}

export type ObserverEvent = keyof RunObserver;

/** Calls every observer; a failing observer is reported through `onError`, never thrown. */
export async function notify<K extends ObserverEvent>(
  observers: readonly RunObserver[] | undefined, event: K, payload: Parameters<NonNullable<RunObserver[K]>>[0],
  onError: (e: unknown) => void = () => undefined,
): Promise<void> {
  for (const o of observers ?? []) {
    const handler = o[event] as ((p: typeof payload) => void | Promise<void>) | undefined;
    if (!handler) continue;
    try {
      await handler.call(o, payload);
    } catch (e) {
      onError(e);
    }
  }
}
