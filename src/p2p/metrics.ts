import { Counter, type Registry } from 'prom-client'

// Upstream's fabrik_p2p_*_total names (its docs list them; it never served them), plus what a security review
// wants to see: refused requests by reason, and bytes from a peer that failed verification.

export interface P2PMetrics {
  requests: Counter<'method'>
  hits: Counter<string>
  misses: Counter<string>
  bytesDownloaded: Counter<string>
  bytesUploaded: Counter<string>
  consentRequests: Counter<string>
  consentApprovals: Counter<string>
  consentDenials: Counter<string>
  /** Requests this daemon refused before serving: missing, target, clock, mac, signature, replay, consent... */
  authFailures: Counter<'reason'>
  /** Entries from a peer whose bytes did not match their size or digest (never served). */
  verificationFailures: Counter<'reason'>
  peerErrors: Counter<'reason'>
}

export function createP2PMetrics(registry: Registry): P2PMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter<L>({ name, help, labelNames, registers: [registry] })
  return {
    requests: counter('fabrik_p2p_requests_total', 'P2P requests served to peers, by method', ['method']),
    hits: counter('fabrik_p2p_hits_total', 'Entries fetched from a peer after a local miss'),
    misses: counter('fabrik_p2p_misses_total', 'Local misses no peer could serve'),
    bytesDownloaded: counter('fabrik_p2p_bytes_downloaded_total', 'Verified bytes received from peers'),
    bytesUploaded: counter('fabrik_p2p_bytes_uploaded_total', 'Bytes sent to peers'),
    consentRequests: counter('fabrik_p2p_consent_requests_total', 'Consent prompts started'),
    consentApprovals: counter('fabrik_p2p_consent_approvals_total', 'Peers approved'),
    consentDenials: counter('fabrik_p2p_consent_denials_total', 'Peers denied'),
    authFailures: counter('fabrik_p2p_auth_failures_total', 'P2P requests refused, by reason', ['reason']),
    verificationFailures: counter('fabrik_p2p_verification_failures_total', 'Peer answers whose bytes failed verification', ['reason']),
    peerErrors: counter('fabrik_p2p_peer_errors_total', 'Failed calls to peers, by reason', ['reason']),
  }
}
