import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

// Peak live memory (heap + ArrayBuffer backing stores) while `work` runs, for the tests that prove a large body
// streams rather than sits whole in memory.
//
// Each sample forces a full GC first, so it measures what is still referenced, not garbage. V8 frees the backing
// stores of dead ArrayBuffers (every Buffer above the pool size) on a background sweeper by default, so right
// after gc() `arrayBuffers` can still count megabytes that are already unreachable — on a loaded 2-core CI
// machine the ByteStream test once read 36 MiB where a quiet run reads 0–24. Sweeping on the main thread makes
// a sample exact: the same test then reads 7 MiB every time, loaded or not.
setFlagsFromString('--expose-gc')
setFlagsFromString('--no-concurrent-array-buffer-sweeping')
const gc = runInNewContext('gc') as () => void

function live(): number {
  gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

/** Runs `work`, sampling every `intervalMs`; `peakGrowth` is the largest rise over the level before it began. */
export async function peakLiveGrowth<T>(work: () => Promise<T>, intervalMs = 25): Promise<{ result: T; peakGrowth: number }> {
  const base = live()
  let peak = base
  const timer = setInterval(() => {
    peak = Math.max(peak, live())
  }, intervalMs)
  try {
    const result = await work()
    peak = Math.max(peak, live())
    return { result, peakGrowth: peak - base }
  } finally {
    clearInterval(timer)
  }
}
