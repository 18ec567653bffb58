import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeProjectRecord } from '../../../src/activate/cache.js'
import { loadConfig } from '../../../src/config/load.js'
import { contentHash, daemonId } from '../../../src/daemon/identity.js'
import { isNamed } from '../../../src/daemon/orphan.js'

// A daemon no fabrik.toml names any more stops itself (foreground.ts watches isNamed); what "names" means.
describe('which daemons a fabrik.toml still names', () => {
  let root: string
  let env: NodeJS.ProcessEnv
  const project = (name: string) => join(root, name)
  async function record(name: string, text: string): Promise<string> {
    mkdirSync(project(name), { recursive: true })
    const config = join(project(name), 'fabrik.toml')
    writeFileSync(config, text)
    const loaded = await loadConfig({ cwd: project(name), configPath: config, env, flags: {} })
    const id = daemonId(loaded.config)
    writeProjectRecord(
      { id, pid: 1, http_url: 'http://127.0.0.1:1', grpc_url: 'grpc://127.0.0.1:2', state_dir: join(root, 'state', id), enabled: [], config, hash: contentHash(readFileSync(config)), env: '' },
      env,
    )
    return id
  }
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-orphan-'))
    env = { FABRIK_STATE_DIR: join(root, 'state'), HOME: root }
  })
  after(async () => rm(root, { recursive: true, force: true }))

  it('a daemon no record ever named (started by hand) is left alone', async () => {
    assert.equal(await isNamed('0123456789abcdef', env), undefined)
  })

  it('a comment edit still names the daemon; an edit to another configuration, or a deleted file, does not', async () => {
    const id = await record('a', '[cache]\nmax_size = "1GB"\n')
    assert.equal(await isNamed(id, env), true)
    writeFileSync(join(project('a'), 'fabrik.toml'), '# a comment\n[cache]\nmax_size = "1GB"\n')
    assert.equal(await isNamed(id, env), true, 'the same effective configuration')
    writeFileSync(join(project('a'), 'fabrik.toml'), '[cache]\nmax_size = "2GB"\n')
    assert.equal(await isNamed(id, env), false)
    writeFileSync(join(project('a'), 'fabrik.toml'), '[cache]\nmax_size = \n')
    assert.equal(await isNamed(id, env), true, 'a file mid-edit that does not load counts as still naming it')
    rmSync(join(project('a'), 'fabrik.toml'))
    assert.equal(await isNamed(id, env), false)
  })

  it('a daemon two projects share stays named while either still names it', async () => {
    const shared = '[cache]\ndir = "/tmp/fabrik-orphan-shared-store"\n'
    const id = await record('b', shared)
    assert.equal(await record('c', shared), id, 'the same store, the same daemon')
    writeFileSync(join(project('b'), 'fabrik.toml'), '[cache]\ndir = ".fabrik/cache"\n')
    assert.equal(await isNamed(id, env), true, 'c still names it')
    writeFileSync(join(project('c'), 'fabrik.toml'), '[cache]\ndir = ".fabrik/cache"\n')
    assert.equal(await isNamed(id, env), false)
  })
})
