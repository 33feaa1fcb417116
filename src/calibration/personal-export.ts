// A personal model as the files of a model folder (model.json, weights.bin,
// model.safetensors, card.json), what `npm run train` writes, so the CLI (analyze, evaluate,
// --model DIR) and PyTorch can use it. The page writes them into a folder or downloads
// them (src/ui/clip-files.ts). Pure.
import type { ModelRecord } from '../storage/db.ts';
import type { ExportFile } from './export.ts';

/** The folder's files; throws for a model stored without its safetensors (only personal models keep them). */
export function personalModelFiles(record: Pick<ModelRecord, 'name' | 'modelJson' | 'weights' | 'safetensors' | 'card'>): ExportFile[] {
  if (!record.safetensors) throw new Error(`"${record.name}" has no PyTorch weights stored: only personal models can be exported here.`);
  const manifest = (record.modelJson as { weightsManifest?: { paths?: unknown }[] }).weightsManifest ?? [];
  const paths = manifest.flatMap((g) => (Array.isArray(g.paths) ? g.paths : []));
  if (paths.length !== 1 || typeof paths[0] !== 'string') throw new Error(`"${record.name}": model.json must name one weights file to be exported`);
  return [
    { name: paths[0], type: 'application/octet-stream', data: new Uint8Array(record.weights.slice(0)) },
    { name: 'model.safetensors', type: 'application/octet-stream', data: new Uint8Array(record.safetensors.slice(0)) },
    { name: 'card.json', type: 'application/json', data: `${JSON.stringify(record.card, null, 2)}\n` },
    // Last, as the CLI writes it: a folder whose model.json is there is complete.
    { name: 'model.json', type: 'application/json', data: JSON.stringify(record.modelJson) },
  ];
}
