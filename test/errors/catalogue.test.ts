import { describe, expect, it } from 'vitest';
import { Errors } from '../../src/errors/catalogue.js';

describe('a failed model', () => {
  it('tells the user to give DuckDB more memory when it ran out, and to fix the cause otherwise', () => {
    const oom = Errors.modelFailed('gold.fact_session', 'Out of Memory Error: could not allocate block of size 256.0 KiB (1.3 GiB/1.3 GiB used)');
    expect(oom.code).toBe('SP_ERR_MODEL_FAILED');
    expect(oom.message).toContain('rolled back');
    expect(oom.message).toContain('STOREPULSE_DUCKDB_MEMORY');
    const other = Errors.modelFailed('gold.fact_order', 'Binder Error: column x not found');
    expect(other.message).toContain('fix the cause and run again');
    expect(other.message).not.toContain('STOREPULSE_DUCKDB_MEMORY');
  });
});
