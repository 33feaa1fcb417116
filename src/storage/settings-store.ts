// The live monitor's settings (microphone, reading interval, smoothing, voice processing,
// readings shown relative to the user's neutral voice) kept across reloads in the database's `meta` store, beside the active model's id. A stored
// value that is not a valid setting (another version's, a corrupt one) is ignored field by
// field: the default takes its place and the other fields still load.
import { guarded, type ValenceDatabase } from './db.ts';

/** What the user chose for the next session (fixed while one runs). */
export interface LiveSettings {
  /** Microphone's deviceId; '' for the browser's default. */
  deviceId: string;
  /** Seconds between readings. */
  hopSeconds: number;
  /** Time constant of the smoothing, seconds (0: off). */
  smoothingSeconds: number;
  /** Echo cancellation, noise suppression and gain control by the browser. */
  voiceProcessing: boolean;
  /**
   * The gauge and arousal meter show readings relative to the user's neutral voice (their
   * calibration baseline). Display only: sessions keep the raw readings. Can change mid-session.
   */
  relativeToNeutral: boolean;
}

export const DEFAULT_LIVE_SETTINGS: Readonly<LiveSettings> = Object.freeze({ deviceId: '', hopSeconds: 0.5, smoothingSeconds: 0, voiceProcessing: false, relativeToNeutral: false });

const SETTINGS_KEY = 'liveSettings';

/** `raw` as settings: each valid field kept, each missing or invalid one the default's. */
export function readSettings(raw: unknown): LiveSettings {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const d = DEFAULT_LIVE_SETTINGS;
  const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  return {
    deviceId: typeof r.deviceId === 'string' ? r.deviceId : d.deviceId,
    hopSeconds: positive(r.hopSeconds) && (r.hopSeconds as number) <= 10 ? (r.hopSeconds as number) : d.hopSeconds,
    smoothingSeconds: typeof r.smoothingSeconds === 'number' && Number.isFinite(r.smoothingSeconds) && r.smoothingSeconds >= 0 ? r.smoothingSeconds : d.smoothingSeconds,
    voiceProcessing: typeof r.voiceProcessing === 'boolean' ? r.voiceProcessing : d.voiceProcessing,
    // Settings stored before this field existed lack it: they load with it off.
    relativeToNeutral: typeof r.relativeToNeutral === 'boolean' ? r.relativeToNeutral : d.relativeToNeutral,
  };
}

export class SettingsStore {
  constructor(readonly db: ValenceDatabase) {}

  /** The stored settings, or the defaults when none are stored. */
  async load(): Promise<LiveSettings> {
    return readSettings(await guarded('reading the settings', () => this.db.get('meta', SETTINGS_KEY)));
  }

  async save(settings: LiveSettings): Promise<void> {
    await guarded('the settings', () => this.db.put('meta', { ...settings }, SETTINGS_KEY));
  }
}
