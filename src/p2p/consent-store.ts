import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { randomBytes } from 'node:crypto'

// <data dir>/fabrik/p2p/consents.json: the decisions that outlive the daemon, keyed by machine id (as upstream)
// with the fingerprint pinned. Upstream saved only "always" approvals, so a deny was forgotten on restart; here
// approvals and denials are both kept. Written to a temp file and renamed, so a crash never leaves half a file.

export type Decision = 'approved' | 'denied'

export interface ConsentRecord {
  decision: Decision
  /** The peer's key fingerprint when the decision was taken; another key under the same machine id is refused. */
  fingerprint?: string
  hostname?: string
  decided_at: string
}

export interface ConsentFile {
  version: 1
  peers: Record<string, ConsentRecord>
}

export class ConsentStore {
  private data: ConsentFile

  constructor(private readonly file: string) {
    this.data = read(file)
  }

  get(machineId: string): ConsentRecord | undefined {
    return Object.hasOwn(this.data.peers, machineId) ? this.data.peers[machineId] : undefined
  }

  all(): Record<string, ConsentRecord> {
    return { ...this.data.peers }
  }

  set(machineId: string, record: ConsentRecord): void {
    this.data.peers[machineId] = record
    this.save()
  }

  delete(machineId: string): void {
    delete this.data.peers[machineId]
    this.save()
  }

  clear(): void {
    this.data = { version: 1, peers: {} }
    this.save()
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 })
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    writeFileSync(tmp, JSON.stringify(this.data, null, 2) + '\n', { mode: 0o600 })
    renameSync(tmp, this.file)
  }
}

function read(file: string): ConsentFile {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return { version: 1, peers: {} }
  }
  const parsed = JSON.parse(text) as Partial<ConsentFile>
  const peers: Record<string, ConsentRecord> = Object.create(null)
  for (const [id, r] of Object.entries(parsed.peers ?? {})) {
    if (r && (r.decision === 'approved' || r.decision === 'denied')) peers[id] = r
  }
  return { version: 1, peers }
}
