import type { ConsentMode } from '../config/types.js'
import type { Logger } from '../log.js'
import { ConsentStore, type ConsentRecord, type Decision } from './consent-store.js'
import type { P2PMetrics } from './metrics.js'
import type { PromptRequest, Prompter } from './prompt.js'

// Who may read this daemon's cache (the serving side). Modes:
//  - notify-once: ask once per peer; the answer (approve or deny) is saved in consents.json.
//  - notify-always: ask once per peer per daemon session (answers kept in memory), one open prompt per peer.
//  - auto-approve: every holder of the team secret is served.
//  - disabled: nobody is served (upstream served everybody).
// Saved decisions (the CLI's `approve --permanent` and `deny`, or a notify-once answer) apply in every mode but
// disabled. A decision is pinned to the fingerprint it was taken for; the same machine id with another key is
// refused. While a question is open the requester gets a quick refusal and its build moves on.

export type ConsentState = 'approved' | 'denied' | 'pending' | 'disabled'

export interface PeerClaim {
  machineId: string
  fingerprint: string
  hostname: string
  address: string
}

export interface PendingPeer extends PeerClaim {
  since: number
  prompting: boolean
}

/** After an unanswered prompt, the same peer is not asked again for this long. */
const REPROMPT_AFTER_MS = 60_000

export class ConsentPolicy {
  private readonly session = new Map<string, ConsentRecord>()
  private readonly pending = new Map<string, PendingPeer>()
  private readonly lastPrompt = new Map<string, number>()

  constructor(
    private readonly mode: ConsentMode,
    private readonly store: ConsentStore,
    private readonly prompter: Prompter,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    private readonly metrics: P2PMetrics,
  ) {}

  /** The decision for a peer whose request authenticated; asks the user (without waiting) when there is none. */
  check(peer: PeerClaim): ConsentState {
    if (this.mode === 'disabled') return 'disabled'
    const record = this.store.get(peer.machineId) ?? this.session.get(peer.machineId)
    if (record) {
      if (record.fingerprint && record.fingerprint !== peer.fingerprint) {
        this.logger.warn({ peer: peer.machineId, hostname: peer.hostname, pinned: record.fingerprint.slice(0, 16), presented: peer.fingerprint.slice(0, 16) }, 'p2p: a peer presented a different key than the one approved; refused (run `fabrik p2p approve <peer>` again if it was re-installed)')
        return 'denied'
      }
      if (!record.fingerprint && record.decision === 'approved') {
        // Approved by machine id before it was ever seen: pin the first key it shows.
        this.remember(peer.machineId, { ...record, fingerprint: peer.fingerprint, hostname: peer.hostname }, this.store.get(peer.machineId) !== undefined)
      }
      return record.decision
    }
    if (this.mode === 'auto-approve') return 'approved'
    this.requestConsent(peer)
    return 'pending'
  }

  private requestConsent(peer: PeerClaim): void {
    const existing = this.pending.get(peer.machineId)
    if (existing) {
      Object.assign(existing, { fingerprint: peer.fingerprint, hostname: peer.hostname, address: peer.address })
      if (existing.prompting) return
    }
    const entry: PendingPeer = existing ?? { ...peer, since: Date.now(), prompting: false }
    this.pending.set(peer.machineId, entry)
    const last = this.lastPrompt.get(peer.machineId)
    if (last !== undefined && Date.now() - last < REPROMPT_AFTER_MS) return
    entry.prompting = true
    this.lastPrompt.set(peer.machineId, Date.now())
    this.metrics.consentRequests.inc()
    const request: PromptRequest = { machineId: peer.machineId, hostname: peer.hostname, address: peer.address, fingerprint: peer.fingerprint }
    this.logger.info({ peer: peer.machineId, hostname: peer.hostname, address: peer.address, prompt: this.prompter.name }, `p2p: ${peer.hostname} asks to read this cache; run \`fabrik p2p approve ${peer.machineId}\` or \`fabrik p2p deny ${peer.machineId}\``)
    this.prompter
      .ask(request, this.timeoutMs)
      .catch(() => 'unavailable' as const)
      .then((answer) => {
        entry.prompting = false
        if (!this.pending.has(peer.machineId)) return // decided meanwhile through the CLI
        if (answer === 'approve') this.decide(peer.machineId, 'approved', this.mode === 'notify-once', entry)
        else if (answer === 'deny') this.decide(peer.machineId, 'denied', this.mode === 'notify-once', entry)
        else this.logger.info({ peer: peer.machineId, answer }, `p2p: no answer from the prompt; ${peer.hostname} stays pending (\`fabrik p2p approve ${peer.machineId}\`)`)
      })
  }

  /** A decision from the prompt or the CLI. `peer` resolves hostnames and pins the fingerprint seen. */
  decide(machineId: string, decision: Decision, permanent: boolean, seen?: Partial<PeerClaim>): void {
    const pending = this.pending.get(machineId)
    const fingerprint = seen?.fingerprint ?? pending?.fingerprint
    const hostname = seen?.hostname ?? pending?.hostname
    const record: ConsentRecord = { decision, decided_at: new Date().toISOString(), ...(fingerprint ? { fingerprint } : {}), ...(hostname ? { hostname } : {}) }
    this.pending.delete(machineId)
    this.lastPrompt.delete(machineId)
    // A denial is always kept: upstream forgot it on restart.
    this.remember(machineId, record, permanent || decision === 'denied')
    if (decision === 'approved') this.metrics.consentApprovals.inc()
    else this.metrics.consentDenials.inc()
    this.logger.info({ peer: machineId, hostname, decision, permanent: permanent || decision === 'denied' }, `p2p: ${decision} ${hostname ?? machineId}`)
  }

  private remember(machineId: string, record: ConsentRecord, permanent: boolean): void {
    if (permanent) {
      this.session.delete(machineId)
      this.store.set(machineId, record)
    } else {
      if (this.store.get(machineId)) this.store.delete(machineId)
      this.session.set(machineId, record)
    }
  }

  /** The fingerprint a decision pinned for this machine id, if any. */
  pinnedFingerprint(machineId: string): string | undefined {
    return (this.store.get(machineId) ?? this.session.get(machineId))?.fingerprint
  }

  /** This daemon's saved or session decision about a peer, if any (peers we denied are not asked either). */
  savedDecision(machineId: string): Decision | undefined {
    return (this.store.get(machineId) ?? this.session.get(machineId))?.decision
  }

  clear(): void {
    this.session.clear()
    this.pending.clear()
    this.lastPrompt.clear()
    this.store.clear()
  }

  decisions(): Record<string, ConsentRecord & { permanent: boolean }> {
    const out: Record<string, ConsentRecord & { permanent: boolean }> = {}
    for (const [id, r] of this.session) out[id] = { ...r, permanent: false }
    for (const [id, r] of Object.entries(this.store.all())) out[id] = { ...r, permanent: true }
    return out
  }

  pendingPeers(): PendingPeer[] {
    return [...this.pending.values()]
  }

  get consentMode(): ConsentMode {
    return this.mode
  }
}
