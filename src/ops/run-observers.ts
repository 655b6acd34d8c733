// The observers every run gets, from the settings: what `run`, `serve` and `demo` attach to the pipeline.
import type { Settings } from '../home/home.js';
import type { RunObserver } from '../pipeline/run-observer.js';

export function standardObservers(_settings: Settings): RunObserver[] {
  return [];
}
