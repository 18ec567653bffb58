// Shell activation figures for issue 5, each against its target, measured in one run on this machine:
//   1. 20 idle prompts in an activated bash/zsh/fish inside a project: processes spawned (target 0);
//   2. `cd` into a project whose daemon runs, as the user sees it in bash: from the cd to the next command with
//      the variables exported (target <= 150 ms), beside a bare `node -e 0` spawn from the same shell;
//   3. `fabrik --version` against `node -e 0` (target <= 2.5x), interleaved so load affects both alike.
//
//   node dist/bench/activate.js [--json] [--rounds 15]
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, percentile } from './lib.js'

const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const args = process.argv.slice(2)
const json = args.includes('--json')
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 15


function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : undefined
}

function shell(bin: string, argv: string[], input: string, env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', () => undefined)
    child.on('error', reject)
    child.on('close', () => resolve(out))
    child.stdin.end(input)
  })
}

/** User + system CPU ms of a command, via /usr/bin/time when installed: steadier than wall time on a busy machine. */
function cpuSpawn(argv: string[], cwd: string, env: NodeJS.ProcessEnv): number | undefined {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', ...argv], { cwd, env, encoding: 'utf8' })
  const m = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr ?? '')
  return r.error || !m ? undefined : (Number(m[1]) + Number(m[2])) * 1000
}

function timeSpawn(argv: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const t0 = performance.now()
  spawnSync(argv[0] as string, argv.slice(1), { cwd, env, stdio: 'ignore' })
  return performance.now() - t0
}

const root = mkdtempSync(join(tmpdir(), 'fabrik-bench-activate-'))
const project = join(root, 'project')
const bin = join(root, 'bin')
const counter = join(root, 'count')
mkdirSync(join(project, 'sub'), { recursive: true })
mkdirSync(bin)
writeFileSync(join(project, 'fabrik.toml'), '[build_systems]\nenabled = ["turborepo", "nx", "bazel"]\n')
// A user install is a script on PATH as well; this one also counts its runs.
writeFileSync(join(bin, 'fabrik'), `#!/bin/sh\necho run >> '${counter}'\nexec '${process.execPath}' '${RUN_JS}' "$@"\n`)
chmodSync(join(bin, 'fabrik'), 0o755)
const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}`, FABRIK_STATE_DIR: join(root, 'state'), HOME: root, GRADLE_USER_HOME: join(root, 'gradle') }
delete env.__FABRIK_SAVED

const results: Record<string, unknown> = {}
try {
  const started = spawnSync(process.execPath, [RUN_JS, 'daemon', 'start', '--json'], { cwd: project, env, encoding: 'utf8' })
  if (started.status !== 0) throw new Error(`daemon start failed: ${started.stderr}`)
  // The hook acts only on a trusted fabrik.toml (issue 12).
  const trusted = spawnSync(process.execPath, [RUN_JS, 'trust'], { cwd: project, env, encoding: 'utf8' })
  if (trusted.status !== 0) throw new Error(`trust failed: ${trusted.stderr}`)

  // 1. Idle prompts.
  const idle: Record<string, number> = {}
  const shells: [string, string[], string, string][] = [
    ['bash', ['--norc', '--noprofile', '-i'], 'eval "$(fabrik activate bash)"', ':'],
    ['zsh', ['-f', '-i'], 'eval "$(fabrik activate zsh)"', ':'],
    ['fish', ['--no-config'], 'fabrik activate fish | source', 'emit fish_prompt'],
  ]
  for (const [name, argv, activate, noop] of shells) {
    const path = which(name)
    if (!path) continue
    const script = [activate, `cd '${join(project, 'sub')}'`, `echo mark >> '${counter}'`, ...Array(20).fill(noop), `echo mark >> '${counter}'`, 'exit', ''].join('\n')
    writeFileSync(counter, '')
    // fish cannot read a script from node's stdin (a socket): it runs it from a file instead.
    const file = join(root, 'idle.fish')
    if (name === 'fish') writeFileSync(file, script)
    await shell(path, name === 'fish' ? [...argv, file] : argv, name === 'fish' ? '' : script, env, root)
    const lines = readFileSync(counter, 'utf8').split('\n')
    idle[name] = lines.slice(lines.indexOf('mark') + 1, lines.lastIndexOf('mark')).length
  }
  results.idle_prompts = { prompts: 20, processes_spawned: idle, target: 0, pass: Object.values(idle).every((n) => n === 0) }

  // 2. cd into the project, measured inside bash with $EPOCHREALTIME: the hook runs between the two lines.
  const bash = which('bash')
  if (bash) {
    const lines = ['eval "$(fabrik activate bash)"']
    for (let i = 0; i < rounds; i++) {
      lines.push(`t0=$EPOCHREALTIME; cd '${join(project, 'sub')}'`, 'echo "cd $t0 $EPOCHREALTIME ${TURBO_API:+set}"', 'cd /')
      lines.push('t0=$EPOCHREALTIME; node -e 0', 'echo "node $t0 $EPOCHREALTIME"')
    }
    const out = await shell(bash, ['--norc', '--noprofile', '-i'], `${lines.join('\n')}\nexit\n`, env, root)
    const cd: number[] = []
    const node: number[] = []
    for (const m of out.matchAll(/^(cd|node) (\d+\.\d+) (\d+\.\d+)( set)?$/gm)) {
      const ms = (Number(m[3]) - Number(m[2])) * 1000
      if (m[1] === 'cd') {
        if (!m[4]) throw new Error('the variables were not exported after cd')
        cd.push(ms)
      } else node.push(ms)
    }
    const direct = Array.from({ length: rounds }, () => timeSpawn([process.execPath, RUN_JS, 'hook-env', '--shell', 'bash'], join(project, 'sub'), env))
    const hookCpu = Array.from({ length: rounds }, () => cpuSpawn([process.execPath, RUN_JS, 'hook-env', '--shell', 'bash'], join(project, 'sub'), env))
    const nodeCpu = Array.from({ length: rounds }, () => cpuSpawn([process.execPath, '-e', '0'], root, env))
    const cpu = hookCpu.every((x) => x !== undefined) && nodeCpu.every((x) => x !== undefined)
    results.cd_into_running_project = {
      median_ms: +median(cd).toFixed(1),
      p90_ms: +percentile([...cd].sort((a, b) => a - b), 90).toFixed(1),
      node_e_0_from_bash_ms: +median(node).toFixed(1),
      hook_env_process_ms: +median(direct).toFixed(1),
      // Both sides slow down alike when the machine is busy: the ratio is what carries over between runs.
      ratio_to_node_e_0: +(median(cd) / median(node)).toFixed(2),
      ...(cpu ? { hook_env_cpu_ms: +median(hookCpu as number[]).toFixed(1), node_e_0_cpu_ms: +median(nodeCpu as number[]).toFixed(1) } : {}),
      target_ms: 150,
      pass: median(cd) <= 150,
    }
  }

  // 3. --version against a bare node start, interleaved.
  const nodeT: number[] = []
  const versionT: number[] = []
  for (let i = 0; i < rounds; i++) {
    nodeT.push(timeSpawn([process.execPath, '-e', '0'], root, env))
    versionT.push(timeSpawn([process.execPath, RUN_JS, '--version'], root, env))
  }
  const ratio = median(versionT) / median(nodeT)
  results.version = { fabrik_ms: +median(versionT).toFixed(1), node_e_0_ms: +median(nodeT).toFixed(1), ratio: +ratio.toFixed(2), target_ratio: 2.5, pass: ratio <= 2.5 }
} finally {
  spawnSync(process.execPath, [RUN_JS, 'daemon', 'stop', '--all'], { cwd: project, env, stdio: 'ignore' })
  rmSync(root, { recursive: true, force: true })
}

results.load_average_1m = +(loadavg()[0] ?? 0).toFixed(2)
if (json) {
  console.log(JSON.stringify(results, null, 2))
} else {
  for (const [name, r] of Object.entries(results)) console.log(`${name.padEnd(26)} ${JSON.stringify(r)}`)
}
