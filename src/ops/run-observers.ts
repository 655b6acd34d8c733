// The observers every run gets, from the settings: what `run`, `serve` and `demo` attach to the pipeline.
import { join } from 'node:path';
import { Errors } from '../errors/catalogue.js';
import type { Settings } from '../home/home.js';
import type { RunObserver } from '../pipeline/run-observer.js';
import type { Warehouse } from '../warehouse/engine.js';
import { OpenLineageEmitter } from './openlineage/emitter.js';
import { FileTransport, HttpTransport, type LineageTransport } from './openlineage/transport.js';

/** Where lineage goes: the JSON-lines file in the home unless --lineage-url names an endpoint or says off. */
export function lineageTransport(settings: Pick<Settings, 'home' | 'lineageUrl'>): LineageTransport | undefined {
  const url = settings.lineageUrl;
  if (url === 'off') return undefined;
  if (url === undefined || url === '') return new FileTransport(join(settings.home, 'lineage', 'events.jsonl'));
  if (!/^https?:\/\//.test(url)) throw Errors.badOption('--lineage-url', url, 'an http(s) URL such as http://localhost:5000/api/v1/lineage, or off');
  return new HttpTransport(url);
}

export function standardObservers(settings: Settings, wh: Warehouse, onError: (e: unknown) => void = () => undefined): RunObserver[] {
  const transport = lineageTransport(settings);
  return transport ? [new OpenLineageEmitter(wh, transport, onError)] : [];
}
