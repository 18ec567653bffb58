import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import type { FabrikConfig } from '../../../src/config/types.js'
import { MemoryStore } from '../../../src/store/memory.js'
import type { BlobStore } from '../../../src/store/types.js'
import { startP2P, type RunningP2P } from '../../../src/p2p/index.js'
import type { PeerEndpoint } from '../../../src/p2p/client.js'
import { NO_PROMPT, type Prompter } from '../../../src/p2p/prompt.js'

export const SECRET = 'team-secret-0123456789abcdef'

export interface TestPeer {
  p2p: RunningP2P
  local: BlobStore
  registry: Registry
  home: string
  endpoint: PeerEndpoint
  close(): Promise<void>
}

export function p2pConfig(over: Partial<FabrikConfig['p2p']> = {}): FabrikConfig['p2p'] {
  return {
    enabled: true,
    secret: SECRET,
    advertise: false,
    discovery: false,
    bind_port: 0,
    max_peers: 20,
    consent_mode: 'auto-approve',
    consent_timeout: 2000,
    request_timeout: 2000,
    max_concurrent_requests: 5,
    ...over,
  }
}

/** A P2P stack on 127.0.0.1 with its own data dir, machine id and memory store; no mDNS. */
export async function startPeer(name: string, o: { config?: Partial<FabrikConfig['p2p']>; peers?: PeerEndpoint[]; local?: BlobStore; prompter?: Prompter; home?: string } = {}): Promise<TestPeer> {
  const home = o.home ?? mkdtempSync(join(tmpdir(), `fabrik-p2p-${name}-`))
  const local = o.local ?? new MemoryStore()
  const registry = new Registry()
  const p2p = await startP2P({
    config: p2pConfig(o.config),
    local,
    logger: pino({ level: 'silent' }),
    registry,
    stateDir: home,
    env: { XDG_DATA_HOME: join(home, 'data'), FABRIK_MACHINE_ID: `machine-${name}`, FABRIK_HOSTNAME: name },
    interfaces: ['127.0.0.1'],
    staticPeers: o.peers ?? [],
    prompter: o.prompter ?? NO_PROMPT,
    helloIntervalMs: 200,
  })
  return {
    p2p,
    local,
    registry,
    home,
    endpoint: { machineId: `machine-${name}`, hostname: name, address: '127.0.0.1', port: p2p.port, fingerprint: p2p.identity.fingerprint },
    async close() {
      await p2p.close()
      if (!o.home) rmSync(home, { recursive: true, force: true })
    },
  }
}

export { until } from '../../helpers/until.js'

export async function metric(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = registry.getSingleMetric(name)
  if (!m) return 0
  const { values } = await m.get()
  return values.filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val)).reduce((a, v) => a + v.value, 0)
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c)
  return Buffer.concat(chunks)
}
