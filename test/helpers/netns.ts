import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'

// Hosts as network namespaces on a bridge namespace (shared/reference/p2p.md, verified recipe): each host gets
// a veth into the bridge, an address in the private test range 10.213.x.0/24 and a multicast route on its veth.
// Names are unique per run; destroy() kills every process left in the namespaces and deletes them, and is safe
// to call twice or after a failed create().

export interface NetnsHost {
  ns: string
  address: string
  dev: string
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] })
}

export function canUseNetns(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux'
  if (process.getuid?.() !== 0) return 'network namespaces need root'
  if (spawnSync('ip', ['-V']).status !== 0) return 'iproute2 (ip) is not installed'
  return undefined
}

export class Lan {
  readonly id = randomBytes(3).toString('hex')
  /** Third octet of 10.213.x.0/24, random per run. */
  readonly subnet = 1 + (randomBytes(1)[0]! % 250)
  readonly bridge = `fab-${this.id}-br`
  readonly hosts: NetnsHost[] = []
  private readonly created: string[] = []

  create(count: number): NetnsHost[] {
    ip('netns', 'add', this.bridge)
    this.created.push(this.bridge)
    ip('-n', this.bridge, 'link', 'add', 'br0', 'type', 'bridge')
    ip('-n', this.bridge, 'link', 'set', 'br0', 'up')
    for (let i = 1; i <= count; i++) {
      const ns = `fab-${this.id}-h${i}`
      const dev = `f${this.id}h${i}`
      const peer = `f${this.id}p${i}`
      ip('netns', 'add', ns)
      this.created.push(ns)
      ip('link', 'add', dev, 'type', 'veth', 'peer', 'name', peer)
      ip('link', 'set', dev, 'netns', ns)
      ip('link', 'set', peer, 'netns', this.bridge)
      ip('-n', this.bridge, 'link', 'set', peer, 'master', 'br0')
      ip('-n', this.bridge, 'link', 'set', peer, 'up')
      ip('-n', ns, 'link', 'set', 'lo', 'up')
      const address = `10.213.${this.subnet}.${i}`
      ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', dev)
      ip('-n', ns, 'link', 'set', dev, 'up')
      ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', dev)
      this.hosts.push({ ns, address, dev })
    }
    return this.hosts
  }

  pids(ns: string): number[] {
    const r = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' })
    return r.stdout.split('\n').filter(Boolean).map(Number)
  }

  destroy(): void {
    for (const ns of this.created) {
      for (const pid of this.pids(ns)) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // gone already
        }
      }
    }
    for (const ns of this.created.reverse()) spawnSync('ip', ['netns', 'del', ns])
    this.created.length = 0
  }
}

/**
 * The environment of one simulated host's fabrik: every per-user folder under `dir`, and a machine id and
 * hostname of its own, so daemons in different namespaces never share state, identity or consent decisions.
 */
export function hostEnv(dir: string, name: string, machineId: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_STATE_HOME: join(dir, 'xdg-state'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    FABRIK_STATE_DIR: join(dir, 'state'),
    FABRIK_MACHINE_ID: machineId,
    FABRIK_HOSTNAME: name,
  }
}
