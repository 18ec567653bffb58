import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { parseJson, runCli, type CliResult } from '../helpers/cli.js'

// `fabrik cas …` and `fabrik kv …` run as a user runs them: the built bin/run.js in a child process, cwd inside a
// project whose fabrik.toml puts the cache in ./cache. Build first: npx tsc -p tsconfig.json && npx oclif manifest.

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')
const ABSENT = '0'.repeat(64)

describe('fabrik cas and kv (CLI)', () => {
  let root: string
  let project: string
  let env: NodeJS.ProcessEnv
  const fabrik = (args: string[], input?: string): Promise<CliResult> => runCli(args, { cwd: join(project, 'sub'), env, input })

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-cli-store-'))
    project = join(root, 'project')
    await mkdir(join(project, 'sub'), { recursive: true })
    await writeFile(join(project, 'fabrik.toml'), '[cache]\ndir = "cache"\n')
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FABRIK_')))
    Object.assign(env, { XDG_CONFIG_HOME: join(root, 'xdg'), XDG_STATE_HOME: join(root, 'xdg-state') })
  })
  after(() => rm(root, { recursive: true, force: true }))

  it('cas put prints the SHA-256 and stores the file in the cache dir next to fabrik.toml', async () => {
    const file = join(root, 'hello.txt')
    await writeFile(file, 'hello fabrik\n')
    const r = await fabrik(['cas', 'put', file])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout.trim(), sha('hello fabrik\n'))
    await access(join(project, 'cache', 'index.db'))
    const again = parseJson<{ hash: string; created: boolean }>(await fabrik(['cas', 'put', file, '--json']))
    assert.deepEqual(again, { hash: sha('hello fabrik\n'), size: 13, created: false })
  })

  it('cas get returns the exact bytes, to stdout or to a file', async () => {
    const data = randomBytes(200_000)
    const file = join(root, 'blob.bin')
    await writeFile(file, data)
    const hash = (await fabrik(['cas', 'put', file])).stdout.trim()
    const out = join(root, 'copy.bin')
    const r = await fabrik(['cas', 'get', hash, '-o', out])
    assert.equal(r.code, 0, r.stderr)
    assert.ok((await readFile(out)).equals(data))
    const text = await fabrik(['cas', 'get', sha('hello fabrik\n')])
    assert.equal(text.stdout, 'hello fabrik\n')
  })

  it('cas exists exits 0 when cached and 1 when not, with {exists} under --json', async () => {
    const yes = await fabrik(['cas', 'exists', sha('hello fabrik\n'), '--json'])
    assert.equal(yes.code, 0, yes.stderr)
    assert.equal(parseJson<{ exists: boolean }>(yes).exists, true)
    const no = await fabrik(['cas', 'exists', ABSENT, '--json'])
    assert.equal(no.code, 1)
    assert.equal(parseJson<{ exists: boolean }>(no).exists, false)
  })

  it('cas get, info and delete of a missing blob exit 66 with NOT_FOUND', async () => {
    for (const cmd of ['get', 'info', 'delete']) {
      const r = await fabrik(['cas', cmd, ABSENT, '--json', ...(cmd === 'get' ? ['-o', join(root, 'x')] : [])])
      assert.equal(r.code, 66, `${cmd}: ${r.stdout}${r.stderr}`)
      assert.equal(parseJson<{ error: { code: string } }>(r).error.code, 'NOT_FOUND')
    }
  })

  it('cas refuses a hash that is not a SHA-256 with exit 65', async () => {
    const r = await fabrik(['cas', 'get', '../etc/passwd'])
    assert.equal(r.code, 65)
    assert.match(r.stderr, /INVALID_DIGEST/)
  })

  it('cas info, list and stats describe what is stored', async () => {
    const hash = sha('hello fabrik\n')
    const info = parseJson<{ key: string; size: number; sha256: string }>(await fabrik(['cas', 'info', hash, '--json']))
    assert.deepEqual([info.key, info.size, info.sha256], [hash, 13, hash])
    const list = parseJson<{ entries: { key: string }[] }>(await fabrik(['cas', 'list', '--json']))
    assert.ok(list.entries.some((e) => e.key === hash))
    const limited = parseJson<{ entries: unknown[]; truncated: boolean }>(await fabrik(['cas', 'list', '--limit', '1', '--json']))
    assert.deepEqual([limited.entries.length, limited.truncated], [1, true])
    const stats = parseJson<{ namespace: string; entries: number; store: { dir: string } }>(await fabrik(['cas', 'stats', '--json']))
    assert.equal(stats.namespace, 'cas')
    assert.equal(stats.entries, 2)
    assert.equal(stats.store.dir, join(project, 'cache'))
  })

  it('cas delete removes a blob', async () => {
    const hash = sha('hello fabrik\n')
    assert.equal((await fabrik(['cas', 'delete', hash])).code, 0)
    assert.equal((await fabrik(['cas', 'exists', hash])).code, 1)
  })

  it('kv put takes the value from an argument, a file or stdin, and kv get returns it', async () => {
    assert.equal((await fabrik(['kv', 'put', 'build-id', '1234'])).code, 0)
    assert.equal((await fabrik(['kv', 'get', 'build-id'])).stdout, '1234')
    const file = join(root, 'report.json')
    await writeFile(file, '{"ok":true}')
    assert.equal((await fabrik(['kv', 'put', 'report', '--file', file])).code, 0)
    assert.equal((await fabrik(['kv', 'get', 'report'])).stdout, '{"ok":true}')
    const piped = await fabrik(['kv', 'put', 'commit'], '  from stdin, spaces kept \n')
    assert.equal(piped.code, 0, piped.stderr)
    const got = parseJson<{ value: string; encoding: string }>(await fabrik(['kv', 'get', 'commit', '--json']))
    assert.deepEqual([got.value, got.encoding], ['  from stdin, spaces kept \n', 'utf8'])
  })

  it('kv exists, list, stats and delete work on the kv namespace only', async () => {
    assert.equal((await fabrik(['kv', 'exists', 'build-id'])).code, 0)
    assert.equal((await fabrik(['kv', 'exists', 'nope'])).code, 1)
    const list = parseJson<{ entries: { key: string }[] }>(await fabrik(['kv', 'list', '--json']))
    assert.deepEqual(list.entries.map((e) => e.key), ['build-id', 'commit', 'report'])
    assert.equal(parseJson<{ entries: number }>(await fabrik(['kv', 'stats', '--json'])).entries, 3)
    assert.equal((await fabrik(['kv', 'delete', 'build-id'])).code, 0)
    assert.equal((await fabrik(['kv', 'get', 'build-id'])).code, 66)
    // A kv key is not visible as a cas blob, and vice versa.
    assert.equal((await fabrik(['cas', 'exists', sha('1234')])).code, 1)
  })

  it('kv refuses keys that could escape the store (exit 65)', async () => {
    const r = await fabrik(['kv', 'put', '../escape', 'v'])
    assert.equal(r.code, 65)
    assert.match(r.stderr, /INVALID_KEY/)
  })
})
