// One catalogue of coded errors: the CLI, the API and the logs all speak these codes.
// Each message tells the user what to do next.

export class StorePulseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'StorePulseError';
  }
}

/** DuckDB's error when a step needs more than its memory limit (at 1.5GB, the 10M build's sessions did). */
const OUT_OF_MEMORY = /^Out of Memory Error/;

type Template<A extends unknown[]> = (...args: A) => string;

function define<A extends unknown[]>(code: string, httpStatus: number, template: Template<A>) {
  const make = (...args: A) => new StorePulseError(code, template(...args), httpStatus);
  return Object.assign(make, { code });
}

export const Errors = {
  missingColumn: define('SP_ERR_MISSING_COLUMN', 400, (file: string, entity: string, columns: string[]) =>
    `${file}: required column${columns.length > 1 ? 's' : ''} ${columns.join(', ')} missing for entity "${entity}". ` +
    `The whole file was refused and nothing was loaded; add the column${columns.length > 1 ? 's' : ''} to the header and ingest it again.`),
  unknownEntity: define('SP_ERR_UNKNOWN_ENTITY', 400, (source: string, known: string[]) =>
    `${source}: cannot tell which entity this is. Name the file or its folder after one of: ${known.join(', ')} ` +
    `(for example orders.csv, order_items-2026-05-01.ndjson or orders/part-1.csv).`),
  unreadableFile: define('SP_ERR_UNREADABLE_FILE', 400, (file: string, reason: string) =>
    `${file}: the file could not be read as a whole (${reason}). Nothing was loaded from it; fix or re-export the file and ingest it again.`),
  unsupportedFormat: define('SP_ERR_UNSUPPORTED_FORMAT', 400, (file: string) =>
    `${file}: unsupported file type. Use .csv, .ndjson, .jsonl, .json or .parquet (optionally .gz compressed for CSV/NDJSON).`),
  pathNotFound: define('SP_ERR_PATH_NOT_FOUND', 400, (path: string) =>
    `${path}: no such file or folder. Check the path and try again.`),
  warehouseLocked: define('SP_ERR_WAREHOUSE_LOCKED', 409, (what: string, holder: string) =>
    `Another StorePulse process (${holder}) is writing to the warehouse, so ${what} cannot start now. ` +
    `Wait for it to finish, or pass --wait SECONDS to queue behind it.`),
  warehouseUnavailable: define('SP_ERR_WAREHOUSE_UNAVAILABLE', 503, (target: string, reason: string) =>
    `Cannot open the warehouse at ${target}: ${reason}. Check --warehouse / STOREPULSE_WAREHOUSE and that the server or file is reachable.`),
  unsupportedWarehouse: define('SP_ERR_UNSUPPORTED_WAREHOUSE', 400, (url: string) =>
    `Unsupported warehouse "${url}". Use a DuckDB file path (or duckdb:PATH) or postgres://user@host:5432/db.`),
  badOption: define('SP_ERR_BAD_OPTION', 400, (option: string, value: string, expected: string) =>
    `Invalid value "${value}" for ${option}: expected ${expected}.`),
  noData: define('SP_ERR_NO_DATA', 404, (what: string) =>
    `${what}. Ingest some files (storepulse ingest PATH) and run the pipeline (storepulse run) first.`),
  modelFailed: define('SP_ERR_MODEL_FAILED', 500, (model: string, reason: string) =>
    `Model ${model} failed: ${reason}. The run was rolled back and the warehouse is as it was before it; ` +
    (OUT_OF_MEMORY.test(reason)
      ? 'give DuckDB more memory (STOREPULSE_DUCKDB_MEMORY, default 1.4GB; it spills beyond it, but not every step can) and run again.'
      : 'fix the cause and run again.')),
  badModel: define('SP_ERR_BAD_MODEL', 500, (file: string, reason: string) =>
    `Model file ${file} is invalid: ${reason}.`),
  outputExists: define('SP_ERR_OUTPUT_EXISTS', 400, (dir: string) =>
    `${dir} already holds generated files. Choose an empty folder or pass --force to overwrite.`),
  testsFailed: define('SP_ERR_TEST_FAILED', 422, (failures: string[]) =>
    `Data test${failures.length > 1 ? 's' : ''} failed, so this run's gold was not published (the previous gold stays served): ` +
    `${failures.join('; ')}. Fix the data (ingest corrected records) or the test, then run again; \`storepulse test\` shows every test.`),
  badConfig: define('SP_ERR_BAD_CONFIG', 400, (file: string, where: string, problem: string) =>
    `${file}${where ? ` ${where}` : ''}: ${problem}. Fix the file and start again (\`storepulse alerts --config FILE\` checks it).`),
  badMapping: define('SP_ERR_BAD_MAPPING', 400, (file: string, where: string, problem: string) =>
    `${file}${where ? ` ${where}` : ''}: ${problem}. Nothing was loaded; fix the mapping and try again (\`storepulse mapping check FILE PATH…\` checks it against the files).`),
  mappingNoFiles: define('SP_ERR_MAPPING_NO_FILES', 400, (mapping: string, patterns: string[]) =>
    `${mapping}: no file under the given paths matches ${patterns.map((p) => `"${p}"`).join(', ')}. Nothing was loaded; check the paths, or the sources' \`files\` patterns in the mapping.`),
  mappingFanOut: define('SP_ERR_MAPPING_FANOUT', 400, (mapping: string, entity: string, file: string, line: number) =>
    `${mapping}: entity ${entity} made more than one record from line ${line} of ${file}: a join matched several rows, which would count that record twice. ` +
    `Nothing was loaded; aggregate the joined table in a view (one row per join key) or group the entity with group_by.`),
  badStreamsConfig: define('SP_ERR_BAD_STREAMS_CONFIG', 400, (file: string, where: string, problem: string) =>
    `${file}${where ? ` ${where}` : ''}: ${problem}. Fix the streams config and start again.`),
  streamUnavailable: define('SP_ERR_STREAM_UNAVAILABLE', 503, (source: string, reason: string) =>
    `Stream source ${source} is not available: ${reason}. Check the server address and the stream and consumer names in the streams config.`),
  lakeFailed: define('SP_ERR_LAKE_EXPORT_FAILED', 500, (dir: string, reason: string) =>
    `Could not export the lake to ${dir}: ${reason}. The tables already in the lake were left as they were; fix the cause and run storepulse export-lake again.`),
  unauthenticated: define('SP_ERR_UNAUTHENTICATED', 401, (problem: string) =>
    `${problem}. Send a token as \`Authorization: Bearer <token>\`; an operator issues one with \`storepulse token --role ROLE\`.`),
  forbidden: define('SP_ERR_FORBIDDEN', 403, (problem: string) =>
    `${problem}. Ask an operator for a token with one of the roles this route allows (see the routes table in the README).`),
  notFound: define('SP_ERR_NOT_FOUND', 404, (what: string, hint: string) =>
    `${what} was not found. ${hint}`),
  badRequest: define('SP_ERR_BAD_REQUEST', 400, (problem: string) => problem),
  editRejected: define('SP_ERR_EDIT_REJECTED', 422, (what: string, reasons: string[]) =>
    `${what} was not accepted: ${reasons.join('; ')}. The record is kept with the rejects (\`storepulse rejects\`); correct the values and save again.`),
  secretMissing: define('SP_ERR_SECRET_MISSING', 500, (what: string, env: string) =>
    `No ${what} is configured. Set ${env} (at least 32 characters), or run the command with a --home whose secrets/ folder can hold the key file it creates on first use.`),
  weakSecret: define('SP_ERR_WEAK_SECRET', 400, (env: string) =>
    `${env} is shorter than 32 characters; a short key can be guessed. Use a long random value, e.g. \`openssl rand -hex 32\`.`),
  piiKeyChanged: define('SP_ERR_PII_KEY_CHANGED', 409, () =>
    'The privacy key (STOREPULSE_PII_SECRET or <home>/secrets/pii.key) is not the one this warehouse tokenised its personal data with, ' +
    'so new tokens would not match the old ones. Use the original key (every process sharing a warehouse needs the same one), ' +
    'or re-tokenise everything with the new key: `storepulse run --full-refresh`.'),
  interrupted: define('SP_ERR_INTERRUPTED', 500, (what: string) =>
    `${what} was interrupted and rolled back; run it again to finish the work.`),
} as const;

export function isStorePulseError(e: unknown): e is StorePulseError {
  return e instanceof StorePulseError;
}
