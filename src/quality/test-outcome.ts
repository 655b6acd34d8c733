// The result of one data test (a model test or a reconciliation check) in a run or on demand.
export type Severity = 'warn' | 'error';

export interface TestOutcome {
  /** Table the test is about, e.g. gold.fact_order_line; `run` for cross-layer reconciliation. */
  model: string;
  /** Stable readable name, e.g. `not_null(order_id)` or `reconcile(gross_revenue)`. */
  test: string;
  kind: 'unique' | 'not_null' | 'relationships' | 'accepted_values' | 'expression' | 'reconciliation';
  column?: string;
  /** `pass`, or the severity the failures reached. */
  status: 'pass' | Severity;
  /** Failing rows (or, for a reconciliation, the size of the difference). */
  failures: number;
  /** Rows the test looked at. */
  rows: number;
  /** A few keys of failing rows, to find them. */
  sample: string[];
  message?: string;
}
