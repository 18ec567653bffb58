import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { flat, runCli } from '../helpers/cli.js'

// `fabrik config show|validate|generate` and `fabrik init`, run as a user runs them: the built bin/run.js in a
// child process, cwd inside a temp project. Build first: npx tsc -p tsconfig.json && npx oclif manifest.

describe('fabrik config (CLI)', () => {
  let root: string
  let env: NodeJS.ProcessEnv

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fabrik-cli-config-'))
    // No FABRIK_* from the caller's shell, and no real user config: XDG dirs point into the temp root.
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FABRIK_')))
    Object.assign(env, {
      XDG_CONFIG_HOME: join(root, 'xdg', 'config'),
      XDG_CACHE_HOME: join(root, 'xdg', 'cache'),
      XDG_DATA_HOME: join(root, 'xdg', 'data'),
      XDG_STATE_HOME: join(root, 'xdg', 'state'),
    })
  })
  after(async () => {
    await rm(root, { recursive: true, force: true })
  })

  async function project(name: string, toml?: string): Promise<string> {
    const dir = join(root, name)
    await mkdir(join(dir, 'sub', 'dir'), { recursive: true })
    if (toml !== undefined) await writeFile(join(dir, 'fabrik.toml'), toml)
    return dir
  }

  it('config show --json reports each value with its source: flag, env, file, default', async () => {
    const dir = await project('show', '[cache]\nmax_size = "10GB"\ndir = "store"\n[p2p]\nsecret = "0123456789abcdef-secret"\n')
    const res = await runCli(['config', 'show', '--json', '--config-grpc-port', '9092'], {
      cwd: join(dir, 'sub', 'dir'),
      env: { ...env, FABRIK_CONFIG_LOG_LEVEL: 'debug' },
    })
    assert.equal(res.code, 0, res.stderr)
    const data = JSON.parse(res.stdout) as { path: string; values: Record<string, { value: unknown; source: string }> }
    assert.equal(data.path, join(dir, 'fabrik.toml'))
    assert.deepEqual(data.values['daemon.grpc_port'], { value: 9092, source: 'flag' })
    assert.deepEqual(data.values['observability.log_level'], { value: 'debug', source: 'env' })
    assert.deepEqual(data.values['cache.max_size'], { value: 10 * 1024 ** 3, source: 'file' })
    assert.deepEqual(data.values['cache.dir'], { value: join(dir, 'store'), source: 'file' })
    assert.deepEqual(data.values['p2p.bind_port'], { value: 7071, source: 'default' })
    assert.equal(data.values['p2p.secret']?.value, '0123…(masked)')
    assert.ok(!res.stdout.includes('0123456789abcdef-secret'))
  })

  it('config show prints a readable table', async () => {
    const dir = await project('table', '[cache]\nmax_size = "10GB"\n')
    const res = await runCli(['config', 'show'], { cwd: dir, env })
    assert.equal(res.code, 0, res.stderr)
    assert.match(res.stdout, /^cache\.max_size +10GB +file$/m)
    assert.match(res.stdout, /^observability\.log_format +json +default$/m)
  })

  it('config validate accepts a good file and prints ✓', async () => {
    const dir = await project('valid', '[cache]\nmax_size = "1GB"\n')
    const res = await runCli(['config', 'validate'], { cwd: join(dir, 'sub'), env })
    assert.equal(res.code, 0, res.stderr)
    assert.equal(res.stdout.trim(), `✓ ${join(dir, 'fabrik.toml')} is valid`)
  })

  it('config validate exits 78 on a bad file, with file and key on stderr', async () => {
    const dir = await project('invalid')
    await writeFile(join(dir, 'broken.toml'), '[p2p]\nconsent_mode = "ask"\n')
    const res = await runCli(['config', 'validate', 'broken.toml'], { cwd: dir, env })
    assert.equal(res.code, 78)
    const stderr = flat(res.stderr) // oclif wraps long lines
    assert.match(stderr, /CONFIG_INVALID/)
    assert.ok(stderr.includes('broken.toml'), stderr)
    assert.match(stderr, /p2p\.consent_mode: expected one of notify-once/)
    assert.equal(res.stdout, '')
  })

  it('a command refuses to run with a bad override variable (exit 78)', async () => {
    const dir = await project('badenv', '')
    const res = await runCli(['config', 'show'], { cwd: dir, env: { ...env, FABRIK_CONFIG_HTTP_PORT: 'eighty' } })
    assert.equal(res.code, 78)
    assert.match(res.stderr, /FABRIK_CONFIG_HTTP_PORT/)
  })

  it('config validate exits 78 when there is no config file at all', async () => {
    const dir = await project('nofile')
    const res = await runCli(['config', 'validate'], { cwd: dir, env })
    assert.equal(res.code, 78)
    assert.match(res.stderr, /CONFIG_NOT_FOUND/)
  })

  it('init writes a fabrik.toml that validates, and refuses a second time without --force', async () => {
    const dir = await project('init')
    const first = await runCli(['init'], { cwd: dir, env })
    assert.equal(first.code, 0, first.stderr)
    const written = await readFile(join(dir, 'fabrik.toml'), 'utf8')
    assert.match(written, /^# fabrik\.toml/)
    assert.match(written, /\[cache\]/)

    const validate = await runCli(['config', 'validate'], { cwd: dir, env })
    assert.equal(validate.code, 0, validate.stderr)

    await writeFile(join(dir, 'fabrik.toml'), '# edited\n')
    const second = await runCli(['init'], { cwd: dir, env })
    assert.equal(second.code, 73)
    assert.match(second.stderr, /CONFIG_EXISTS/)
    assert.equal(await readFile(join(dir, 'fabrik.toml'), 'utf8'), '# edited\n')

    const forced = await runCli(['init', '--force'], { cwd: dir, env })
    assert.equal(forced.code, 0, forced.stderr)
    assert.equal(await readFile(join(dir, 'fabrik.toml'), 'utf8'), written)
  })

  it('init --dir writes into another folder', async () => {
    const dir = await project('initdir')
    const res = await runCli(['init', '--dir', 'sub'], { cwd: dir, env })
    assert.equal(res.code, 0, res.stderr)
    assert.match(await readFile(join(dir, 'sub', 'fabrik.toml'), 'utf8'), /\[cache\]/)
  })

  for (const template of ['daemon', 'server', 'exec']) {
    it(`config generate --template ${template} prints a file that config validate accepts`, async () => {
      const dir = await project(`gen-${template}`)
      const gen = await runCli(['config', 'generate', '--template', template], { cwd: dir, env })
      assert.equal(gen.code, 0, gen.stderr)
      assert.match(gen.stdout, /^# fabrik\.toml/)
      await writeFile(join(dir, `${template}.toml`), gen.stdout)
      const res = await runCli(['config', 'validate', `${template}.toml`], { cwd: dir, env })
      assert.equal(res.code, 0, res.stderr)
    })
  }

  it('config generate refuses an unknown template', async () => {
    const res = await runCli(['config', 'generate', '--template', 'nope'], { cwd: root, env })
    assert.notEqual(res.code, 0)
    assert.match(res.stderr, /daemon, server, exec|Expected --template=nope to be one of/)
  })
})
