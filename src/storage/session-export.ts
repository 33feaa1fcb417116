// A stored session as CSV (one row per reading, for spreadsheets) or JSON (everything,
// for programs). Pure functions: the history view turns the text into a download.
// Arousal (two-output models) comes last in the CSV, after the columns that were there
// before it, so existing spreadsheets keep their column letters; a one-output model's
// session, or one stored before arousal, has empty cells there. The settings the readings
// were made with (hop, smoothing, model, microphone) follow in every row, so a CSV alone
// says how its `smoothed` column was smoothed; the JSON has them once, under `settings`.
import type { SessionWithReadings } from './session-store.ts';

export const SESSION_JSON_FORMAT = 'valence-monitor-session/1';

/** CSV columns, in order. */
export const CSV_COLUMNS = [
  't_seconds',
  'time',
  'valence',
  'smoothed',
  'state',
  'arousal',
  'smoothed_arousal',
  'hop_seconds',
  'smoothing_seconds',
  'model',
  'microphone',
] as const;

const iso = (ms: number) => new Date(ms).toISOString();

/** Quotes a field only where CSV needs it (comma, quote, line break). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const num = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? '' : v.toFixed(digits));

/** Header + one row per reading; empty valence (and arousal) where there was no reading (silence). */
export function sessionToCsv(session: SessionWithReadings): string {
  const rows = [CSV_COLUMNS.join(',')];
  // Unknown for sessions stored before these were kept: empty cells, nothing invented.
  const settings = [
    String(session.hopSeconds),
    session.smoothingSeconds === undefined ? '' : String(session.smoothingSeconds),
    csvField(session.modelName),
    csvField(session.microphone ?? ''),
  ];
  for (const r of session.readings) {
    rows.push(
      [
        r.t.toFixed(3),
        iso(session.startedAt + r.t * 1000),
        num(r.valence, 4),
        num(r.smoothed, 4),
        csvField(r.state),
        num(r.arousal, 4),
        num(r.smoothedArousal, 4),
        ...settings,
      ].join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

/**
 * The session's details and readings as pretty-printed JSON; each reading's fields as
 * stored (arousal and smoothedArousal where the session has them).
 */
export function sessionToJson(session: SessionWithReadings): string {
  return JSON.stringify(
    {
      format: SESSION_JSON_FORMAT,
      id: session.id,
      startedAt: iso(session.startedAt),
      endedAt: session.endedAt === null ? null : iso(session.endedAt),
      model: { id: session.modelId, name: session.modelName },
      backend: session.backend,
      hopSeconds: session.hopSeconds,
      settings: {
        hopSeconds: session.hopSeconds,
        smoothingSeconds: session.smoothingSeconds ?? null,
        model: session.modelName,
        microphone: session.microphone ?? null,
        voiceProcessing: session.voiceProcessing ?? null,
      },
      readings: session.readings,
    },
    null,
    2,
  );
}

/** A file name for an export, e.g. "valence-session-2026-11-24T22-19-43.csv". */
export function exportFileName(session: SessionWithReadings, ext: 'csv' | 'json'): string {
  return `valence-session-${iso(session.startedAt).slice(0, 19).replace(/:/g, '-')}.${ext}`;
}
