// The OpenLineage 2-0-2 RunEvent and the standard facets StorePulse fills, as small typed builders.
// (No OpenLineage client exists for Node; the shapes follow the spec's JSON Schemas, which the tests validate.)
import { createHash } from 'node:crypto';

export const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
export const PRODUCER = 'https://github.com/storepulse/storepulse';
export const JOB_NAMESPACE = 'storepulse';

export type EventType = 'START' | 'COMPLETE' | 'FAIL' | 'ABORT';

interface Facet {
  _producer: string;
  _schemaURL: string;
}

export interface Dataset {
  namespace: string;
  name: string;
  facets?: Record<string, Facet>;
  outputFacets?: Record<string, Facet>;
}

export interface RunEvent {
  eventType: EventType;
  eventTime: string;
  producer: string;
  schemaURL: string;
  run: { runId: string; facets?: Record<string, Facet> };
  job: { namespace: string; name: string; facets?: Record<string, Facet> };
  inputs: Dataset[];
  outputs: Dataset[];
}

const facet = <T extends object>(schema: string, body: T): T & Facet =>
  ({ _producer: PRODUCER, _schemaURL: `https://openlineage.io/spec/facets/${schema}`, ...body });

/** A stable UUID (version 5 layout) from a name: the same run of the same warehouse always gets the same id. */
export function uuidFrom(name: string): string {
  const h = createHash('sha1').update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export const facets = {
  parent: (runId: string, jobName: string) => facet('1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet', {
    run: { runId }, job: { namespace: JOB_NAMESPACE, name: jobName },
  }),
  errorMessage: (message: string) => facet('1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet', {
    message, programmingLanguage: 'TypeScript',
  }),
  jobType: (jobType: 'JOB' | 'MODEL') => facet('2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet', {
    processingType: 'BATCH', integration: 'STOREPULSE', jobType,
  }),
  schema: (fields: { name: string; type: string }[]) => facet('1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet', { fields }),
  outputStatistics: (rowCount: number) => facet('1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet', { rowCount }),
  dataQualityAssertions: (assertions: { assertion: string; success: boolean; column?: string; severity?: string; actual?: string }[]) =>
    facet('1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet', { assertions }),
};
