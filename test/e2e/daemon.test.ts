import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, request } from 'node:http'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
// isAlive: a stopped daemon may stay a zombie for a moment until init reaps it, which counts as gone.
import { isAlive } from '../../src/io/process.js'
import { flat, parseJson } from '../helpers/cli.js'
import { makeProject, type DaemonJson, type TestProject } from '../helpers/project.js'


describe('fabrik daemon lifecycle, driven through the built CLI', () => {
  let project: TestProject
  let daemon: DaemonJson

  before(async () => {
    project = await makeProject()
    daemon = await project.startDaemon()
  })
  after(async () => project.cleanup())

  it('start prints its id, pid, URLs, state dir and log file, and listens on 127.0.0.1', async () => {
    assert.match(daemon.id, /^[0-9a-f]{16}$/)
    assert.equal(daemon.started, true)
    assert.ok(isAlive(daemon.pid))
    assert.match(daemon.http_url, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.match(daemon.grpc_url, /^grpc:\/\/127\.0\.0\.1:\d+$/)
    assert.equal(daemon.state_dir, join(project.env.FABRIK_STATE_DIR!, daemon.id))
    const ports = JSON.parse(readFileSync(join(daemon.state_dir, 'ports.json'), 'utf8'))
    assert.equal(`http://127.0.0.1:${ports.http}`, daemon.http_url)
    // The pid, then the process's start time: together they identify the daemon (a pid alone may be reused).
    const [pidLine, startLine] = readFileSync(join(daemon.state_dir, 'pid'), 'utf8').split('\n')
    assert.equal(pidLine, String(daemon.pid))
    assert.match(startLine ?? '', /^\d+$/)
    assert.equal(readFileSync(join(daemon.state_dir, 'config_path.txt'), 'utf8').trim(), join(project.dir, 'fabrik.toml'))
    assert.match(readFileSync(join(daemon.state_dir, 'bazelrc'), 'utf8'), new RegExp(`--remote_cache=${daemon.grpc_url}`))
    assert.ok(existsSync(daemon.log_file))
  })

  it('an idle daemon sleeps: its event loop wakes a few times a second, not on a 10 ms timer', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
    // Counted, not timed: every wait of the main thread's event loop that sleeps is one voluntary context switch.
    // prom-client's default event-loop sampling (a 10 ms timer) alone made ~100 a second.
    const switches = () => Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${daemon.pid}/status`, 'utf8'))![1])
    await sleep(1000) // past start-up work
    const before = switches()
    await sleep(3000)
    const woke = switches() - before
    assert.ok(woke < 90, `the idle daemon's main thread woke ${woke} times in 3 s`)
  })

  it('starting again returns the running daemon instead of a second one', async () => {
    const again = await project.startDaemon()
    assert.equal(again.pid, daemon.pid)
    assert.equal(again.started, false)
  })

  it('status, list and health report the running daemon with real figures', async () => {
    const status = parseJson<{ running: boolean; daemon: DaemonJson }>(await project.cli(['daemon', 'status', '--json']))
    assert.equal(status.running, true)
    assert.equal(status.daemon.pid, daemon.pid)
    const list = parseJson<{ daemons: DaemonJson[] }>(await project.cli(['daemon', 'list', '--json']))
    assert.deepEqual(list.daemons.map((d) => d.id), [daemon.id])

    // Store one object, then health must count it.
    await put(daemon.http_url, '/v1/cache/0123abcd', Buffer.from('hello nx'))
    const health = await project.cli(['health', '--json'])
    assert.equal(health.code, 0, health.stderr)
    const report = parseJson<{ status: string; store: { entries: number; bytes: number } }>(health)
    assert.equal(report.status, 'ok')
    assert.equal(report.store.entries, 1)
    assert.equal(report.store.bytes, 8)
  })

  it('a subfolder of the project reaches the same daemon (fabrik.toml found by walking up)', async () => {
    const { mkdirSync } = await import('node:fs')
    const sub = join(project.dir, 'a', 'b')
    mkdirSync(sub, { recursive: true })
    const status = parseJson<{ daemon: DaemonJson }>(await project.cli(['daemon', 'status', '--json'], { cwd: sub }))
    assert.equal(status.daemon.pid, daemon.pid)
  })

  it('SIGTERM drains an in-flight upload before the daemon exits', async () => {
    const url = new URL(daemon.http_url)
    const body = Buffer.alloc(256 * 1024, 7)
    const done = new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: url.port, method: 'PUT', path: '/v1/cache/drain01', headers: { 'content-length': body.length } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.write(body.subarray(0, 1024))
      setTimeout(() => {
        process.kill(daemon.pid, 'SIGTERM')
        setTimeout(() => req.end(body.subarray(1024)), 300)
      }, 100)
    })
    assert.equal(await done, 200)
    for (let i = 0; i < 200 && isAlive(daemon.pid); i++) await sleep(25)
    assert.equal(isAlive(daemon.pid), false, 'daemon exited after draining')
    assert.equal(existsSync(join(daemon.state_dir, 'pid')), false, 'pid file removed on exit')
    const status = await project.cli(['daemon', 'status', '--json'])
    assert.equal(status.code, 0, 'not running is a status, not an error')
    assert.equal(parseJson<{ running: boolean }>(status).running, false)
  })

  it('a pid file left by a dead process is cleaned up and a new daemon starts', async () => {
    writeFileSync(join(daemon.state_dir, 'pid'), '999999\n')
    writeFileSync(join(daemon.state_dir, 'ports.json'), '{"http":1,"grpc":2,"metrics":1}\n')
    writeFileSync(join(daemon.state_dir, 'start.lock'), '999999\n')
    const fresh = await project.startDaemon()
    assert.equal(fresh.started, true)
    assert.notEqual(fresh.pid, 999999)
    // The entry stored before the restart is still served: the store is on disk.
    const got = await get(fresh.http_url, '/v1/cache/drain01')
    assert.equal(got.status, 200)
    assert.equal(got.body.length, 256 * 1024)
    const stop = await project.cli(['daemon', 'stop', '--json'])
    assert.equal(parseJson<{ stopped: { pid: number }[] }>(stop).stopped[0]?.pid, fresh.pid)
    assert.equal(isAlive(fresh.pid), false)
  })
})

describe('fabrik daemon start failures', () => {
  it('a taken port is PORT_IN_USE (exit 69): names the port, the setting, the log, and how to pick another — no "bug", no stack', async () => {
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = (blocker.address() as { port: number }).port
    const project = await makeProject(`[daemon]\nhttp_port = ${port}\n`)
    try {
      const r = await project.cli(['daemon', 'start'])
      r.stderr = flat(r.stderr)
      assert.equal(r.code, 69, r.stderr)
      assert.match(r.stderr, new RegExp(`PORT_IN_USE: port ${port} on 127\\.0\\.0\\.1 \\(\\[daemon\\] http_port\\) is already in use`))
      assert.match(r.stderr, /another program holds it/)
      assert.match(r.stderr, /http_port = 0/)
      assert.match(r.stderr, /daemon\.log/)
      assert.doesNotMatch(r.stderr, /bug|INTERNAL|at .*\.js:\d+/)
    } finally {
      blocker.close()
      await project.cleanup()
    }
  })

  it('a port held by another Fabrik daemon names that daemon, its pid and its fabrik.toml', async () => {
    const a = await makeProject()
    try {
      const held = await a.startDaemon()
      const port = Number(new URL(held.http_url).port)
      const b = join(a.dir, '..', 'b')
      mkdirSync(b, { recursive: true })
      writeFileSync(join(b, 'fabrik.toml'), `[daemon]\nhttp_port = ${port}\n`)
      const r = await a.cli(['daemon', 'start'], { cwd: b })
      r.stderr = flat(r.stderr)
      assert.equal(r.code, 69, r.stderr)
      assert.match(r.stderr, new RegExp(`another Fabrik daemon holds it: ${held.id} \\(pid ${held.pid}, ${a.dir}/fabrik\\.toml\\)`))
      assert.match(r.stderr, /fabrik daemon stop/)
    } finally {
      await a.cleanup()
    }
  })

  it('refuses to start with an invalid config and starts nothing', async () => {
    const project = await makeProject('[cache]\nmax_sise = "1GB"\n')
    try {
      const r = await project.cli(['daemon', 'start'])
      assert.equal(r.code, 78)
      assert.match(r.stderr, /max_sise/)
      const list = parseJson<{ daemons: unknown[] }>(await project.cli(['daemon', 'list', '--json']))
      assert.equal(list.daemons.length, 0)
    } finally {
      await project.cleanup()
    }
  })
})

function put(base: string, path: string, body: Buffer): Promise<number> {
  const url = new URL(path, base)
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'content-length': body.length } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}

function get(base: string, path: string): Promise<{ status: number; body: Buffer }> {
  const url = new URL(path, base)
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }))
    })
      .on('error', reject)
      .end()
  })
}

describe('fabrik daemon ports', () => {
  async function freePort(): Promise<number> {
    const s = createServer()
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
    const port = (s.address() as { port: number }).port
    await new Promise<void>((r) => s.close(() => r()))
    return port
  }

  it('listens on the ports fabrik.toml configures, and a --config-http-port flag reaches the daemon', async () => {
    const [http, grpc, flagPort] = [await freePort(), await freePort(), await freePort()]
    const project = await makeProject(`[daemon]\nhttp_port = ${http}\ngrpc_port = ${grpc}\n`)
    try {
      const info = await project.startDaemon()
      assert.equal(info.http_url, `http://127.0.0.1:${http}`)
      assert.equal(info.grpc_url, `grpc://127.0.0.1:${grpc}`)
      assert.equal((await project.cli(['daemon', 'stop'])).code, 0)
      const r = await project.cli(['daemon', 'start', '--json', `--config-http-port=${flagPort}`])
      assert.equal(r.code, 0, r.stderr)
      assert.equal(parseJson<DaemonJson>(r).http_url, `http://127.0.0.1:${flagPort}`)
    } finally {
      await project.cleanup()
    }
  })

  it('refuses a request whose Host is not a loopback name (DNS rebinding) on the real socket', async () => {
    const project = await makeProject()
    try {
      const info = await project.startDaemon()
      const url = new URL(info.http_url)
      const status = await new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port: url.port, path: '/v1/cache/abcd', headers: { host: `evil.example:${url.port}` } }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
          .on('error', reject)
          .end()
      })
      assert.equal(status, 403)
    } finally {
      await project.cleanup()
    }
  })
})
