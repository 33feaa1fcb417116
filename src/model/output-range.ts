// The range a reading is shown in. Valence and arousal are defined on [-1, 1] (SPEC section
// 3), but the CNN's last layer is linear and can overshoot (1.16, -1.04 were seen): what a
// user sees (gauge, timeline, CSV, JSON) is clamped; metrics score the raw output.

/** `x` clamped to [-1, 1]. */
export function clampUnit(x: number): number {
  return x > 1 ? 1 : x < -1 ? -1 : x;
}
