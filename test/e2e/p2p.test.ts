import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { genruleWorkspace, remoteCacheHits, type Bazel } from '../helpers/bazel.js'
import { RUN_JS, runCommand, type CliResult } from '../helpers/cli.js'
import { requireClient, underCi } from '../helpers/clients.js'
import { Lan, canUseNetns, hostEnv, type NetnsHost } from '../helpers/netns.js'
import { gitCommitAll, writeTree } from '../helpers/workspace.js'

// Three hosts as network namespaces on a bridge, each with its own daemon, home, data dir and state dir, all
// started through the CLI inside its namespace. Nothing leaves the namespaces: a capture on the real interface
// must see no mDNS and no test traffic.

const TURBO = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url))
const SECRET = 'e2e-team-secret-0123456789'
const missing = canUseNetns()
const ci = underCi()

interface Host extends NetnsHost {
  name: string
  root: string
  project: string
  env: NodeJS.ProcessEnv
  http?: string
  grpc?: string
  pid?: number
}

function inNs(h: Host, cmd: string, args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return runCommand('ip', ['netns', 'exec', h.ns, cmd, ...args], { cwd: o.cwd ?? h.project, env: { ...h.env, ...o.env }, timeoutMs: o.timeoutMs ?? 120_000 })
}

const fabrik = (h: Host, args: string[]) => inNs(h, process.execPath, [RUN_JS, ...args])

async function scrape(h: Host): Promise<string> {
  const r = await inNs(h, process.execPath, ['-e', `fetch(${JSON.stringify(h.http + '/metrics')}).then(r => r.text()).then(t => process.stdout.write(t))`])
  assert.equal(r.code, 0, r.stderr)
  return r.stdout
}

function sample(text: string, name: string, labels = ''): number {
  let total = 0
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue
    if (labels && !line.includes(labels)) continue
    total += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return total
}

function workspace(root: string, bigMiB = 0): void {
  const build = bigMiB
    ? `const fs=require('fs');fs.mkdirSync('dist',{recursive:true});fs.writeFileSync('dist/big.bin',require('crypto').randomBytes(${bigMiB}*1024*1024));console.log('BUILD RAN')\n`
    : "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.txt','built '+Date.now());console.log('BUILD RAN')\n"
  writeTree(root, {
    '.gitignore': '.turbo/\ndist/\nnode_modules/\n',
    'package.json': JSON.stringify({ name: `p2p-ws${bigMiB}`, private: true, packageManager: 'npm@11.0.0', workspaces: ['packages/*'] }),
    'package-lock.json': JSON.stringify({ name: `p2p-ws${bigMiB}`, lockfileVersion: 3, requires: true, packages: { '': { name: `p2p-ws${bigMiB}`, workspaces: ['packages/*'] }, 'packages/app': { name: 'app' }, 'node_modules/app': { resolved: 'packages/app', link: true } } }),
    'turbo.json': JSON.stringify({ $schema: 'https://turbo.build/schema.json', tasks: { build: { outputs: ['dist/**'] } } }),
    'packages/app/package.json': JSON.stringify({ name: 'app', scripts: { build: 'node build.js' } }),
    'packages/app/build.js': build,
  })
  gitCommitAll(root)
}

/** A copy of the workspace `src` in each host's own root, under the same name; the copies' paths, in host order. */
function copyTo(src: string, ...to: Host[]): string[] {
  return to.map((h) => {
    const ws = join(h.root, basename(src))
    cpSync(src, ws, { recursive: true })
    return ws
  })
}

function turbo(h: Host, ws: string): Promise<CliResult> {
  return inNs(h, TURBO, ['run', 'build', '--output-logs=full'], {
    cwd: ws,
    env: { TURBO_API: h.http, TURBO_TEAM: 'fabrik-local', TURBO_TOKEN: 'local-token', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1', TURBO_UI: 'false' },
  })
}

/** pino lines of a host's daemon log. */
function logLines(h: Host): { time: number; msg: string; [k: string]: unknown }[] {
  const dirs = readFileSync(join(h.root, 'state', 'daemon-dir.txt'), 'utf8').trim()
  return readFileSync(join(dirs, 'daemon.log'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      const line = JSON.parse(l) as { time: string | number; msg: string }
      return { ...line, time: typeof line.time === 'string' ? Date.parse(line.time) : line.time }
    })
}

describe('P2P across three hosts (network namespaces on a bridge)', { skip: !ci && missing ? missing : false }, () => {
  const lan = new Lan()
  const hosts: Host[] = []
  const root = mkdtempSync(join(tmpdir(), 'fabrik-p2p-e2e-'))
  let capture: ChildProcess | undefined
  let captured = ''
  let captureLog = ''

  before(async () => {
    if (missing) throw new Error(`CI needs this test's prerequisite: ${missing}`)
    // The real interface: the one the default route uses.
    const route = await runCommand('ip', ['route', 'show', 'default'], { cwd: root })
    const nic = /dev (\S+)/.exec(route.stdout)?.[1]
    const tcpdump = await runCommand('sh', ['-c', 'command -v tcpdump'], { cwd: root })
    if (nic && tcpdump.code === 0) {
      capture = spawn('tcpdump', ['-i', nic, '-n', '-l', '-q', `udp port 5353 or net 224.0.0.0/4 or net 10.213.0.0/16`], { stdio: ['ignore', 'pipe', 'pipe'] })
      capture.stdout!.on('data', (c: Buffer) => (captured += c.toString()))
      capture.stderr!.on('data', (c: Buffer) => (captureLog += c.toString()))
      await new Promise((r) => setTimeout(r, 500))
    } else if (ci) {
      throw new Error('CI needs tcpdump and a default route to prove nothing leaks onto the real interface')
    }
    const nets = lan.create(3)
    for (const [i, n] of nets.entries()) {
      const name = `host${i + 1}`
      const dir = join(root, name)
      const project = join(dir, 'project')
      mkdirSync(project, { recursive: true })
      // host3 holds another team's secret.
      const secret = i === 2 ? 'another-team-secret-000000' : SECRET
      writeFileSync(join(project, 'fabrik.toml'), `[cache]\ndir = ".fabrik/cache"\n\n[p2p]\nenabled = true\nsecret = "${secret}"\nconsent_mode = "auto-approve"\nrequest_timeout = "3s"\n`)
      const env = hostEnv(dir, name, `e2e-machine-${name}-${lan.id}`)
      hosts.push({ ...n, name, root: dir, project, env })
    }
  })

  const bazels: Bazel[] = []
  after(async () => {
    try {
      for (const b of bazels) await b.shutdown().catch(() => undefined)
      for (const h of hosts) await fabrik(h, ['daemon', 'stop', '--all']).catch(() => undefined)
    } finally {
      lan.destroy()
      capture?.kill('SIGINT')
      rmSync(root, { recursive: true, force: true })
    }
  })

  async function start(h: Host): Promise<void> {
    const r = await fabrik(h, ['daemon', 'start', '--json'])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const info = JSON.parse(r.stdout) as { http_url: string; grpc_url: string; pid: number; state_dir: string }
    h.http = info.http_url
    h.grpc = info.grpc_url
    h.pid = info.pid
    writeFileSync(join(h.root, 'state', 'daemon-dir.txt'), info.state_dir)
  }

  it('the peers discover each other within 2 s and prove the same secret; another secret is never approved', async () => {
    for (const h of hosts) await start(h)
    const [h1, h2, h3] = hosts as [Host, Host, Host]
    const listening = (h: Host) => logLines(h).find((l) => l.msg === 'p2p: listening')!.time
    const found = async (h: Host, peer: Host) => {
      const deadline = Date.now() + 5000
      while (Date.now() < deadline) {
        const l = logLines(h).find((x) => x.msg === 'p2p: peer found' && x.peer === peer.env.FABRIK_MACHINE_ID)
        if (l) return l.time
        await new Promise((r) => setTimeout(r, 50))
      }
      throw new Error(`${h.name} never found ${peer.name}`)
    }
    // Each pair: from the later of the two starting to listen until one finds the other.
    for (const [a, b] of [[h2, h1], [h1, h2], [h1, h3]] as const) {
      const ms = (await found(a, b)) - Math.max(listening(a), listening(b))
      assert.ok(ms <= 2000, `${a.name} found ${b.name} after ${ms} ms`)
    }
    // Hello: h1 and h2 approve each other (auto-approve, same secret); h3's requests fail authentication.
    const deadline = Date.now() + 5000
    let list: { machine_id: string; alive: boolean; their_consent: string | null; address: string }[] = []
    while (Date.now() < deadline) {
      list = JSON.parse((await fabrik(h2, ['p2p', 'list', '--json'])).stdout)
      if (list.some((p) => p.machine_id === h1.env.FABRIK_MACHINE_ID && p.alive && p.their_consent === 'approved')) break
      await new Promise((r) => setTimeout(r, 200))
    }
    const seen = list.find((p) => p.machine_id === h1.env.FABRIK_MACHINE_ID)
    assert.equal(seen?.their_consent, 'approved', JSON.stringify(list))
    assert.equal(seen?.address, h1.address)
    const h3view = list.find((p) => p.machine_id === h3.env.FABRIK_MACHINE_ID)
    assert.ok(!h3view?.alive, `h3 must never be live for h2: ${JSON.stringify(h3view)}`)
    assert.ok(sample(await scrape(h1), 'fabrik_p2p_auth_failures_total', 'reason="mac"') >= 1)
    // The control endpoints refuse a request without the daemon's token (a web page can reach 127.0.0.1 too).
    const anon = await inNs(h2, process.execPath, ['-e', `fetch(${JSON.stringify(h2.http + '/_fabrik/p2p/peers')}).then(r => process.stdout.write(String(r.status)))`])
    assert.equal(anon.stdout, '401')
  })

  it('a turbo build on host 1, then the same build on host 2 is FULL TURBO from host 1; host 3 (wrong secret) gets nothing', async () => {
    const [h1, h2, h3] = hosts as [Host, Host, Host]
    const src = join(root, 'ws-small')
    workspace(src)
    const copies = copyTo(src, ...hosts)
    const first = await turbo(h1, copies[0]!)
    assert.equal(first.code, 0, first.stdout + first.stderr)
    assert.match(first.stdout, /BUILD RAN/)

    const second = await turbo(h2, copies[1]!)
    assert.equal(second.code, 0, second.stdout + second.stderr)
    assert.match(second.stdout, /FULL TURBO/, second.stdout + JSON.stringify(logLines(h2).slice(-20)))
    assert.match(second.stdout, /cache hit, replaying/)
    const m2 = await scrape(h2)
    assert.ok(sample(m2, 'fabrik_p2p_hits_total') >= 1, 'the hit came from a peer')
    assert.ok(sample(m2, 'fabrik_p2p_bytes_downloaded_total') > 0)
    assert.ok(sample(await scrape(h1), 'fabrik_p2p_bytes_uploaded_total') > 0)

    const third = await turbo(h3, copies[2]!)
    assert.equal(third.code, 0, third.stdout + third.stderr)
    assert.match(third.stdout, /cache miss, executing/, 'host 3 holds another secret: nobody serves it')
    assert.equal(sample(await scrape(h3), 'fabrik_p2p_hits_total'), 0)
    assert.equal(sample(await scrape(h3), 'fabrik_p2p_bytes_uploaded_total'), 0, 'and it serves nobody')
  })

  it('host 1 killed mid-transfer: host 2 still finishes its build', async () => {
    const [h1, h2] = hosts as [Host, Host]
    const src = join(root, 'ws-big')
    workspace(src, 48)
    const [ws1, ws2] = copyTo(src, h1, h2) as [string, string]
    const first = await turbo(h1, ws1)
    assert.equal(first.code, 0, first.stdout + first.stderr)
    // Slow host 1's link so the transfer takes seconds, then kill its daemon while host 2 reads from it.
    const tc = await runCommand('ip', ['netns', 'exec', h1.ns, 'tc', 'qdisc', 'add', 'dev', h1.dev, 'root', 'tbf', 'rate', '40mbit', 'burst', '64kb', 'latency', '400ms'], { cwd: root })
    assert.equal(tc.code, 0, tc.stderr)
    const build = turbo(h2, ws2)
    const deadline = Date.now() + 15_000
    // Wait until host 2 has asked host 1 for the artifact (h1 counts the Get when it starts serving).
    while (Date.now() < deadline && sample(await scrape(h1), 'fabrik_p2p_requests_total', 'method="get"') < 2) await new Promise((r) => setTimeout(r, 100))
    await new Promise((r) => setTimeout(r, 500))
    process.kill(h1.pid!, 'SIGKILL')
    const second = await build
    assert.equal(second.code, 0, second.stdout + second.stderr)
    assert.match(second.stdout, /cache miss, executing/, 'the task ran locally after the peer vanished')
    const failed = logLines(h2).filter((l) => l.layer === 'p2p' && /^p2p layer failed/.test(l.msg))
    assert.ok(failed.length >= 1, 'host 2 saw the transfer break off')
    assert.ok(sample(await scrape(h2), 'fabrik_upstream_requests_total', 'layer="p2p"') >= 1)
  })

  it('`fabrik p2p deny` refuses a peer at once and across a restart; `approve --permanent` lets it back at once', async () => {
    const [h1, h2] = hosts as [Host, Host]
    await runCommand('ip', ['netns', 'exec', h1.ns, 'tc', 'qdisc', 'del', 'dev', h1.dev, 'root'], { cwd: root })
    await start(h1) // it was killed in the previous test
    const theirConsent = async (want: string) => {
      const deadline = Date.now() + 8000
      let list: { machine_id: string; their_consent: string | null }[] = []
      while (Date.now() < deadline) {
        list = JSON.parse((await fabrik(h2, ['p2p', 'list', '--json'])).stdout)
        if (list.find((p) => p.machine_id === h1.env.FABRIK_MACHINE_ID)?.their_consent === want) return
        await new Promise((r) => setTimeout(r, 200))
      }
      throw new Error(`host 2 never heard "${want}" from host 1: ${JSON.stringify(list)}`)
    }
    const variant = async (name: string) => {
      const src = join(root, name)
      workspace(src, 0)
      writeFileSync(join(src, 'packages/app/variant.txt'), name)
      gitCommitAll(src)
      const [ws1, ws2] = copyTo(src, h1, h2) as [string, string]
      const first = await turbo(h1, ws1)
      assert.equal(first.code, 0, first.stdout + first.stderr)
      return turbo(h2, ws2)
    }
    await theirConsent('approved')

    const deny = await fabrik(h1, ['p2p', 'deny', 'host2', '--json'])
    assert.equal(deny.code, 0, deny.stdout + deny.stderr)
    assert.equal(JSON.parse(deny.stdout).machine_id, h2.env.FABRIK_MACHINE_ID)
    await theirConsent('denied')
    const denied = await variant('ws-denied')
    assert.match(denied.stdout, /cache miss, executing/, 'a denied peer is served nothing')

    assert.equal((await fabrik(h1, ['daemon', 'stop', '--all'])).code, 0)
    await start(h1)
    await theirConsent('denied')
    const afterRestart = await variant('ws-denied-restart')
    assert.match(afterRestart.stdout, /cache miss, executing/, 'still denied after a restart')
    assert.equal(sample(await scrape(h1), 'fabrik_p2p_bytes_uploaded_total'), 0)
    const list = JSON.parse((await fabrik(h1, ['p2p', 'list', '--json'])).stdout) as { machine_id: string; consent: string; permanent: boolean }[]
    assert.deepEqual(list.filter((p) => p.machine_id === h2.env.FABRIK_MACHINE_ID).map((p) => [p.consent, p.permanent]), [['denied', true]])

    const approve = await fabrik(h1, ['p2p', 'approve', 'host2', '--permanent'])
    assert.equal(approve.code, 0, approve.stdout + approve.stderr)
    await theirConsent('approved')
    const approved = await variant('ws-approved')
    assert.match(approved.stdout, /FULL TURBO/, approved.stdout)
    const status = JSON.parse((await fabrik(h1, ['p2p', 'status', '--json'])).stdout) as { addresses: string[]; port: number }
    assert.deepEqual(status.addresses, [h1.address])
    assert.equal(status.port, 7071)
  })

  it('host 1 frozen (SIGSTOP: its sockets still accept, nothing answers): host 2 gives up within request_timeout and builds', async (t) => {
    const [h1, h2] = hosts as [Host, Host]
    const src = join(root, 'ws-frozen')
    workspace(src, 0)
    writeFileSync(join(src, 'packages/app/variant.txt'), 'frozen')
    gitCommitAll(src)
    const [ws1, ws2] = copyTo(src, h1, h2) as [string, string]
    const first = await turbo(h1, ws1)
    assert.equal(first.code, 0, first.stdout + first.stderr)
    process.kill(h1.pid!, 'SIGSTOP')
    try {
      // A lookup host 2 cannot answer locally goes to host 1, whose kernel still completes the TCP handshake: only
      // request_timeout (3 s here) ends the wait. A lookup that hung would hold turbo's task until its own timeout.
      const url = `${h2.http}/v8/artifacts/${'0'.repeat(16)}frozen?slug=fabrik-local`
      const probe = `const t=Date.now();fetch(${JSON.stringify(url)},{headers:{authorization:'Bearer local-token'}}).then(r=>process.stdout.write(JSON.stringify({status:r.status,ms:Date.now()-t})))`
      const r = await inNs(h2, process.execPath, ['-e', probe], { timeoutMs: 30_000 })
      assert.equal(r.code, 0, r.stderr)
      const lookup = JSON.parse(r.stdout) as { status: number; ms: number }
      assert.equal(lookup.status, 404, 'a miss, not an error')
      t.diagnostic(`lookup with host 1 frozen: ${lookup.ms} ms`)
      assert.ok(lookup.ms < 3000 + 2000, `the lookup took ${lookup.ms} ms with a frozen peer (request_timeout 3 s)`)
      const second = await turbo(h2, ws2)
      assert.equal(second.code, 0, second.stdout + second.stderr)
      assert.match(second.stdout, /cache miss, executing/, 'the task ran on host 2 while host 1 was frozen')
    } finally {
      process.kill(h1.pid!, 'SIGCONT')
    }
  })

  it('a Bazel rebuild on host 3 (now holding the team secret) gets its action results and blobs from host 1', async (t) => {
    const bin = requireClient(t, 'bazel')
    if (!bin) return
    const [h1, , h3] = hosts as [Host, Host, Host]
    assert.equal((await fabrik(h3, ['daemon', 'stop', '--all'])).code, 0)
    writeFileSync(join(h3.project, 'fabrik.toml'), readFileSync(join(h1.project, 'fabrik.toml')))
    await start(h3)
    const deadline = Date.now() + 8000
    for (;;) {
      const list = JSON.parse((await fabrik(h3, ['p2p', 'list', '--json'])).stdout) as { machine_id: string; their_consent: string | null }[]
      if (list.find((p) => p.machine_id === h1.env.FABRIK_MACHINE_ID)?.their_consent === 'approved') break
      assert.ok(Date.now() < deadline, `host 3 never approved by host 1: ${JSON.stringify(list)}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    const src = join(root, 'bazel-ws')
    genruleWorkspace(src, 8)
    const run = (h: Host) => {
      const [ws] = copyTo(src, h) as [string]
      // Bazel (its client and server) runs inside the host's namespace.
      const inside: Bazel = {
        run: (args) => runCommand('ip', ['netns', 'exec', h.ns, bin, `--output_user_root=${join(h.root, 'bazel-out')}`, ...args], { cwd: ws, env: h.env, timeoutMs: 300_000 }),
        shutdown: async () => {
          await runCommand('ip', ['netns', 'exec', h.ns, bin, `--output_user_root=${join(h.root, 'bazel-out')}`, 'shutdown'], { cwd: ws, env: h.env, timeoutMs: 60_000 })
        },
      }
      bazels.push(inside)
      return inside.run(['build', `--remote_cache=${h.grpc}`, '--noshow_progress', '//:combined'])
    }
    const first = await run(h1)
    assert.equal(first.code, 0, first.stderr)
    assert.equal(remoteCacheHits(first.stderr), 0, first.stderr)
    const before = sample(await scrape(h3), 'fabrik_p2p_hits_total')
    const rebuilt = await run(h3)
    assert.equal(rebuilt.code, 0, rebuilt.stderr)
    assert.match(rebuilt.stderr, /processes: 3 remote cache hit, 1 internal\./, rebuilt.stderr)
    // Three action results and their output blobs, all from host 1.
    assert.ok(sample(await scrape(h3), 'fabrik_p2p_hits_total') - before >= 6)
  })

  it('nothing reached the real network interface', async (t) => {
    if (capture === undefined) return t.skip('tcpdump not installed')
    await new Promise((r) => setTimeout(r, 1000))
    assert.match(captureLog, /listening on/, 'the capture ran for the whole test')
    assert.equal(captured.trim(), '', `packets on the real interface:\n${captured}`)
  })
})
