import { networkInterfaces } from 'node:os'

// "On the LAN interface only": P2P listens and multicasts on private IPv4 addresses of real interfaces — never
// on loopback, and not on container bridges, VPN tunnels or virtual switches, whose peers are not teammates.
const VIRTUAL = /^(docker|br-|veth|virbr|vmnet|vboxnet|tun|tap|utun|wg|tailscale|zt|lxc|cni|flannel|cali|podman|awdl|llw|bridge)/

function isPrivate(address: string): boolean {
  const [a, b] = address.split('.').map(Number) as [number, number]
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
}

export function lanAddresses(): string[] {
  const out: string[] = []
  for (const [name, list] of Object.entries(networkInterfaces())) {
    if (VIRTUAL.test(name)) continue
    for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal && isPrivate(i.address)) out.push(i.address)
  }
  return out
}
