// Runs the daemon from the build's single-file bundle (bundle/daemon.cjs, scripts/bundle-daemon.mjs) with a V8
// code cache beside it. Why: compiling ~2.4 MB of JavaScript, and then each function the start runs, is a third
// of the daemon's time to ready; with the cache V8 deserialises the bytecode instead (~130 ms less per start).
// Node 20 has no compile cache of its own (module.enableCompileCache is Node 22), hence vm.Script's cachedData,
// which needs a CommonJS bundle. spawn.ts runs this file only when the bundle is newer than tsc's main.js.
//
// The cache is made by the build (--warm-cache: evaluate the bundle and load the server modules) and remade by a
// daemon that found it missing or refused by V8 (another Node version), once it is serving. V8 checks a cache
// against the source's length only, so the file starts with the SHA-256 of the source it belongs to. Writes go
// through a temp file and a rename; a read-only install (a global npm prefix) just runs without a cache.
import { createHash } from 'node:crypto'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'

const BUNDLE = fileURLToPath(new URL('./bundle/daemon.cjs', import.meta.url))
const CACHE = `${BUNDLE}.cache`
const HASH_BYTES = 32

interface DaemonBundle {
  main(): Promise<void>
  preloadServer(): Promise<void>
}

function readCache(sourceHash: Buffer): Buffer | undefined {
  try {
    const file = readFileSync(CACHE)
    return file.subarray(0, HASH_BYTES).equals(sourceHash) ? file.subarray(HASH_BYTES) : undefined
  } catch {
    return undefined
  }
}

function writeCache(script: vm.Script, sourceHash: Buffer): void {
  try {
    const tmp = `${CACHE}.${process.pid}.tmp`
    writeFileSync(tmp, Buffer.concat([sourceHash, script.createCachedData()]))
    renameSync(tmp, CACHE)
  } catch {
    // Not writable: starts stay correct, only slower.
  }
}

function load(): { bundle: DaemonBundle; script: vm.Script; hash: Buffer; cached: boolean } {
  const source = readFileSync(BUNDLE, 'utf8')
  const hash = createHash('sha256').update(source).digest()
  const cachedData = readCache(hash)
  // The same wrapper Node gives a CommonJS module, so the bundle's require/module/__filename behave as usual.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: BUNDLE, cachedData })
  const mod = { exports: {} as DaemonBundle }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void
  wrapper.call(mod.exports, mod.exports, createRequire(BUNDLE), mod, BUNDLE, dirname(BUNDLE))
  return { bundle: mod.exports, script, hash, cached: cachedData !== undefined && !script.cachedDataRejected }
}

const { bundle, script, hash, cached } = load()
if (process.argv[2] === '--warm-cache') {
  await bundle.preloadServer()
  writeCache(script, hash)
} else {
  // Serving by then: the cache also holds the functions the start ran. unref: a daemon that stops sooner skips it.
  if (!cached) setTimeout(() => writeCache(script, hash), 2000).unref()
  await bundle.main()
}
