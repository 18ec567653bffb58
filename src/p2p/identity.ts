import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { hostname as osHostname } from 'node:os'
import { join } from 'node:path'
import { userDataDir } from '../config/data-dir.js'

// Who this daemon is on the LAN. Each user's daemons share one key pair and self-signed certificate, made on the
// first start and kept (0600) in <data dir>/fabrik/p2p/. The fingerprint is the SHA-256 of the public key
// (SubjectPublicKeyInfo, DER): it is announced in mDNS, checked in the TLS handshake and bound to every request
// by an ECDSA signature, so a machine id is backed by a key instead of being a claim (upstream trusted the claim).

export interface P2PIdentity {
  /** /etc/machine-id (Linux) or IOPlatformUUID (macOS), as upstream; FABRIK_MACHINE_ID overrides it. */
  machineId: string
  hostname: string
  /** SHA-256 (hex) of the public key's SPKI DER. */
  fingerprint: string
  certPem: string
  keyPem: string
  privateKey: KeyObject
  /** The public key as SPKI DER, sent with each request so the receiver can check the signature and fingerprint. */
  publicKeyDer: Buffer
}

/** `<data dir>/fabrik/p2p` ($XDG_DATA_HOME/fabrik/p2p, else ~/.local/share/fabrik/p2p on Linux). */
export function p2pDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userDataDir(env), 'p2p')
}

export function fingerprintOfPublicKey(spkiDer: Buffer): string {
  return createHash('sha256').update(spkiDer).digest('hex')
}

/** The fingerprint of a certificate (PEM or DER): the hash of its public key, not of the whole certificate. */
export function fingerprintOfCert(cert: string | Buffer): string {
  const der = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' })
  return fingerprintOfPublicKey(der)
}

export function readMachineId(env: NodeJS.ProcessEnv = process.env): string {
  // Cloned VMs, containers and network-namespace tests share /etc/machine-id: the override keeps them apart.
  if (env.FABRIK_MACHINE_ID) return env.FABRIK_MACHINE_ID
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      const id = readFileSync(file, 'utf8').trim()
      if (id) return id
    } catch {
      // next
    }
  }
  if (process.platform === 'darwin') {
    try {
      const out = execFileSync('ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice'], { encoding: 'utf8' })
      const m = /"IOPlatformUUID" = "([^"]+)"/.exec(out)
      if (m?.[1]) return m[1]
    } catch {
      // fall through
    }
  }
  return createHash('sha256').update(osHostname()).digest('hex').slice(0, 32)
}

/** Loads the key pair and certificate from `dir`, creating them on first use. */
export function loadOrCreateIdentity(dir: string, env: NodeJS.ProcessEnv = process.env): P2PIdentity {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const keyFile = join(dir, 'key.pem')
  const certFile = join(dir, 'cert.pem')
  if (!existsSync(keyFile) || !existsSync(certFile)) createIdentity(dir, keyFile, certFile)
  const keyPem = readFileSync(keyFile, 'utf8')
  const certPem = readFileSync(certFile, 'utf8')
  const privateKey = createPrivateKey(keyPem)
  const publicKeyDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  const fingerprint = fingerprintOfPublicKey(publicKeyDer)
  if (fingerprintOfCert(certPem) !== fingerprint) throw new Error(`${certFile} does not match ${keyFile}; delete both to make a new identity`)
  return { machineId: readMachineId(env), hostname: env.FABRIK_HOSTNAME || osHostname(), fingerprint, certPem, keyPem, privateKey, publicKeyDer }
}

function createIdentity(dir: string, keyFile: string, certFile: string): void {
  // P-256 rather than Ed25519: every TLS stack and LibreSSL's openssl (macOS) handle it.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const tmp = join(dir, `.new-${process.pid}-${randomBytes(4).toString('hex')}`)
  mkdirSync(tmp, { mode: 0o700 })
  try {
    const tmpKey = join(tmp, 'key.pem')
    const tmpCert = join(tmp, 'cert.pem')
    writeFileSync(tmpKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
    // Node can parse certificates but not make them; openssl signs a self-signed one. CA:TRUE lets a peer use
    // this very certificate as the trust anchor of its connection (pinning), see client.ts.
    execFileSync('openssl', ['req', '-x509', '-new', '-key', tmpKey, '-out', tmpCert, '-days', '3650', '-subj', '/CN=fabrik-p2p', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'subjectAltName=DNS:fabrik-p2p'], { stdio: ['ignore', 'ignore', 'pipe'] })
    chmodSync(tmpCert, 0o600)
    renameSync(tmpCert, certFile)
    renameSync(tmpKey, keyFile)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}
