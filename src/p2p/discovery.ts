import type { Logger } from '../log.js'
import type { P2PIdentity } from './identity.js'
import { VERSION } from './version.js'

// mDNS (bonjour-service): `_fabrik._tcp`, instance `fabrik-<hostname>-<id>` (the short machine-id suffix keeps
// two laptops called "macbook" apart: a name conflict silently stops a service), TXT version, machine_id and
// fingerprint. One responder per configured interface address, `{ interface: addr, bind: '0.0.0.0' }` —
// `interface` alone binds the unicast address and hears nothing; no interface joins the group everywhere. The
// address a peer is dialled at is the one its packet came from (referer): the A records list every interface
// (VPN, Docker). mDNS never reports a crashed peer, so liveness is the Hello loop's job (index.ts).

export interface DiscoveredPeer {
  instance: string
  machineId: string
  fingerprint: string
  hostname: string
  address: string
  port: number
  version: string
}

export interface DiscoveryOptions {
  identity: P2PIdentity
  interfaces: string[]
  port: number
  advertise: boolean
  browse: boolean
  logger: Logger
  onUp(peer: DiscoveredPeer): void
  onDown(instance: string): void
}

export interface Discovery {
  instance: string
  /** Asks again (a browser sends one query when it starts). */
  refresh(): void
  close(): Promise<void>
}

export function instanceName(identity: P2PIdentity): string {
  const host = identity.hostname.replace(/\.local$/, '').replace(/[^A-Za-z0-9-]/g, '-').slice(0, 40)
  return `fabrik-${host}-${identity.machineId.replace(/[^A-Za-z0-9]/g, '').slice(0, 6)}`
}

export async function startDiscovery(o: DiscoveryOptions): Promise<Discovery> {
  const { Bonjour } = (await import('bonjour-service')).default
  const instance = instanceName(o.identity)
  const host = `${o.identity.hostname.replace(/\.local$/, '').replace(/[^A-Za-z0-9-]/g, '-')}.local`
  const responders = o.interfaces.map((address) => {
    const bonjour = new Bonjour({ interface: address, bind: '0.0.0.0' } as never, (err: Error) => o.logger.warn({ err, address }, 'p2p: mDNS error'))
    if (o.advertise) {
      bonjour.publish({
        name: instance,
        type: 'fabrik',
        port: o.port,
        host,
        txt: { version: VERSION, machine_id: o.identity.machineId, fingerprint: o.identity.fingerprint },
        disableIPv6: true,
        // Probing for a name conflict costs ~1 s; the machine-id suffix already makes the name unique.
        probe: false,
      })
    }
    const browser = o.browse
      ? bonjour.find({ type: 'fabrik' }, (service) => {
          const txt = (service.txt ?? {}) as Record<string, string>
          const address = service.referer?.address
          if (!address || !txt.machine_id || !txt.fingerprint || service.name === instance) return
          if (txt.machine_id === o.identity.machineId && txt.fingerprint === o.identity.fingerprint) return
          if (!/^[0-9a-f]{64}$/.test(txt.fingerprint)) return
          o.onUp({ instance: service.name, machineId: String(txt.machine_id), fingerprint: txt.fingerprint, hostname: service.host?.replace(/\.local$/, '') ?? address, address, port: service.port, version: String(txt.version ?? '') })
        })
      : undefined
    browser?.on('down', (service: { name: string }) => o.onDown(service.name))
    return { bonjour, browser }
  })
  return {
    instance,
    refresh() {
      for (const r of responders) r.browser?.update()
    },
    async close() {
      await Promise.all(
        responders.map(
          (r) =>
            new Promise<void>((resolve) => {
              r.browser?.stop()
              // Goodbye packets first, so peers drop us at once; then the sockets.
              r.bonjour.unpublishAll(() => r.bonjour.destroy(() => resolve()))
              setTimeout(resolve, 1000).unref()
            }),
        ),
      )
    },
  }
}
