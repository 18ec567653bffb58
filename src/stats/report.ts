import { addCounts, HOUR_MS, zeroCounts, type Counts, type Row } from './types.js'

// Rows of a time window → what `fabrik stats --json`, the dashboard and `fabrik health` show.

export interface ToolFigures extends Counts {
  tool: string
  /** hits / (hits + misses); null when the tool asked for nothing. */
  hitRate: number | null
}

export interface LayerFigures {
  /** "local", then each slower layer by name (s3, regional, p2p). */
  layer: string
  hits: number
  misses: number
  errors: number
  bytesIn: number
  bytesOut: number
}

export interface PeerFigures {
  peer: string
  hits: number
  bytesIn: number
  bytesOut: number
}

export interface StatsReport {
  since: string
  until: string
  total: ToolFigures
  tools: ToolFigures[]
  /** Where the hits came from: the local store, or the layer that had the entry. */
  layers: LayerFigures[]
  /** Teammates by bytes exchanged, most first (empty without P2P). */
  peers: PeerFigures[]
}

function rate(c: Counts): number | null {
  const asked = c.hits + c.misses
  return asked === 0 ? null : c.hits / asked
}

export function buildReport(rows: readonly Row[], sinceMs: number, nowMs: number): StatsReport {
  const tools = new Map<string, Counts>()
  const layers = new Map<string, Counts>()
  const peers = new Map<string, Counts>()
  const pick = (m: Map<string, Counts>, k: string) => {
    let c = m.get(k)
    if (c === undefined) m.set(k, (c = zeroCounts()))
    return c
  }
  for (const r of rows) {
    if (r.peer !== '') addCounts(pick(peers, r.peer), r)
    else if (r.layer !== '') addCounts(pick(layers, r.layer), r)
    else addCounts(pick(tools, r.tool), r)
  }
  const total = zeroCounts()
  for (const c of tools.values()) addCounts(total, c)
  const toolList = [...tools].map(([tool, c]) => ({ tool, ...c, hitRate: rate(c) })).sort((a, b) => b.requests - a.requests)
  // A client's hit came from a slower layer when that layer had the entry; every other hit was local.
  let remoteHits = 0
  // Peers are a breakdown of the p2p layer (which counts its own hits), never added on top.
  for (const c of layers.values()) remoteHits += c.hits
  const layerList: LayerFigures[] = [
    { layer: 'local', hits: Math.max(0, total.hits - remoteHits), misses: 0, errors: 0, bytesIn: 0, bytesOut: 0 },
    ...[...layers].map(([layer, c]) => ({ layer, hits: c.hits, misses: c.misses, errors: c.errors, bytesIn: c.bytesIn, bytesOut: c.bytesOut })),
  ]
  const peerList = [...peers]
    .map(([peer, c]) => ({ peer, hits: c.hits, bytesIn: c.bytesIn, bytesOut: c.bytesOut }))
    .sort((a, b) => b.bytesIn + b.bytesOut - (a.bytesIn + a.bytesOut))
  return {
    // Figures are kept per hour, so the window really starts at the top of the hour `sinceMs` falls in (db.rows
    // and report() select whole hours): printing `sinceMs` itself would claim less than the figures cover.
    since: new Date(Math.floor(sinceMs / HOUR_MS) * HOUR_MS).toISOString(),
    until: new Date(nowMs).toISOString(),
    total: { tool: 'all', ...total, hitRate: rate(total) },
    tools: toolList,
    layers: layerList,
    peers: peerList,
  }
}
