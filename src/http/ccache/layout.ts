import { FabrikError } from '../../errors/registry.js'

// ccache's HTTP storage (ccache httpstorage.cpp) puts a key under the URL's path in one of three layouts:
//   subdirs (default)  {path}/{k[0:2]}/{k[2:]}
//   flat               {path}/{k}
//   bazel              {path}/ac/{hex(k) + first 24 of it}  (64 hex, mimicking Bazel's HTTP cache)
// The server is not told which layout or path the client uses, so the key is recovered from the last path
// segments alone: ".../ac/<64 hex>" is bazel, ".../<2 chars>/<rest>" is subdirs, anything else is flat. The
// mapping is deterministic, so a client always finds what it stored. The prefix is not part of the key: ccache
// keys are hashes of the compilation, so two prefixes holding the same key hold the same result.

const HEX64_RE = /^[0-9a-f]{64}$/
const SUBDIR_RE = /^[0-9a-z]{2}$/

export type CcacheLayout = 'subdirs' | 'flat' | 'bazel'

export interface CcachePath {
  layout: CcacheLayout
  key: string
}

/** `path` is the URL path without the query; returns undefined when it names no key at all ("/"). */
export function ccacheKey(path: string): CcachePath | undefined {
  const segments = path.split('/').filter((s) => s !== '')
  const last = segments.at(-1)
  if (last === undefined) return undefined
  if (segments.some((s) => s === '.' || s === '..')) {
    throw new FabrikError('INVALID_KEY', `path ${JSON.stringify(path.slice(0, 80))} may not contain "." or ".." segments`)
  }
  const parent = segments.at(-2)
  if (parent === 'ac' && HEX64_RE.test(last)) return { layout: 'bazel', key: last }
  if (parent !== undefined && SUBDIR_RE.test(parent)) return { layout: 'subdirs', key: parent + last }
  return { layout: 'flat', key: last }
}
