// The soak's judgement of "flat after warm-up": the median of the first samples after warm-up against the median
// of the last samples. Medians, because one sample can land on a garbage collection or a burst of uploads; a leak
// shows as a final window above the warm-up one, whatever the single samples do.

import { median } from './lib.js'

export interface FlatnessLimit {
  /** Growth allowed as a fraction of the warm-up window's median (0.1 = 10%). */
  fraction: number
  /** ...or this much in absolute terms, whichever is larger (a small baseline has room for noise too). */
  absolute: number
}

export interface FlatnessVerdict {
  warm: number
  final: number
  growth: number
  allowed: number
  flat: boolean
}

export const WINDOW_SAMPLES = 5

/** `after`: the samples taken after warm-up, in order. Not flat when there are too few to form two windows. */
export function judgeFlat(after: number[], limit: FlatnessLimit): FlatnessVerdict {
  const n = Math.min(WINDOW_SAMPLES, Math.floor(after.length / 2))
  if (n === 0) return { warm: NaN, final: NaN, growth: NaN, allowed: 0, flat: false }
  const warm = median(after.slice(0, n))
  const final = median(after.slice(-n))
  const allowed = Math.max(warm * limit.fraction, limit.absolute)
  const growth = final - warm
  return { warm, final, growth, allowed, flat: growth <= allowed }
}
