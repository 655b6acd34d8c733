// Structured log lines of a run, each carrying its run_id, so one run's story can be filtered out of the logs.
import type { Logger } from 'pino';
import type { RunObserver } from '../pipeline/run-observer.js';

export function runLogger(logger: Logger): RunObserver {
  const of = (runId: number) => logger.child({ run_id: runId });
  return {
    runStarted: (e) => of(e.runId).debug({ full_refresh: e.fullRefresh }, 'run started'),
    stepFinished: (e) => of(e.runId).debug({
      step: e.step, layer: e.layer, rows: e.rows, mode: e.result?.mode, ms: e.result?.ms,
      tests: e.tests.length, tests_failed: e.tests.filter((t) => t.status !== 'pass').length,
    }, 'step finished'),
    runSucceeded: (e) => of(e.runId).info({
      batches: e.summary.batches, ms: e.summary.ms,
      tests: e.summary.tests.length, tests_warned: e.summary.tests.filter((t) => t.status === 'warn').length,
    }, 'run succeeded'),
    runFailed: (e) => of(e.runId).error({
      step: e.step, error: e.error.message, code: (e.error as { code?: string }).code,
      failed_tests: e.tests.filter((t) => t.status === 'error').map((t) => `${t.model} ${t.test}`),
    }, 'run failed'),
  };
}
