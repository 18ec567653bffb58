import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomBytes, createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { requireClient } from '../helpers/clients.js'
import { http } from '../helpers/http.js'
import { makeProject, type TestProject } from '../helpers/project.js'
import { S3rverProcess, uploadsDrained } from '../helpers/s3.js'
import { ServerProcess, serverToml } from '../helpers/server.js'
import { makeKey, token, writeKeys } from '../unit/server/helpers.js'

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** GET over HTTPS trusting only `ca`; bounded by a timeout. */
function httpsGet(url: string, ca: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }))
    })
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 10 s`)))
    req.on('error', reject)
    req.end()
  })
}

// [server] tls_cert + tls_key: both ports speak TLS. A self-signed certificate made by the test (openssl), trusted
// by the daemons through GRPC_DEFAULT_SSL_ROOTS_FILE_PATH, the roots grpc-js's createSsl() reads (tried here:
// NODE_EXTRA_CA_CERTS does not reach its channel — the handshake fails with "self-signed certificate").
describe('fabrik server with TLS', () => {
  let root: string | undefined
  let s3: S3rverProcess | undefined
  let server: ServerProcess | undefined
  const projects: TestProject[] = []
  after(async () => {
    for (const p of projects) await p.cleanup()
    await server?.stop()
    await s3?.cleanup()
    if (root) await rm(root, { recursive: true, force: true })
  })

  it('a grpcs:// daemon reads through it from another daemon\'s upload, and an HTTPS GET works with the same certificate', async (t) => {
    const openssl = requireClient(t, 'openssl')
    if (!openssl) return
    root = await mkdtemp(join(tmpdir(), 'fabrik-tls-'))
    const cert = join(root, 'server.crt')
    const key = join(root, 'server.key')
    execFileSync(openssl, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore', timeout: 30_000 })
    const ca = readFileSync(cert)

    s3 = await S3rverProcess.start('tls-bucket')
    const jwtKey = await makeKey('tls-key')
    await writeKeys(join(root, 'keys.json'), [jwtKey])
    const jwt = await token(jwtKey, { sub: 'laptops', project_id: 'acme' })
    const toml = serverToml({ s3Endpoint: s3.endpoint, bucket: s3.bucket, keyFile: join(root, 'keys.json') })
      .replace('[server]\n', `[server]\ntls_cert = "${cert}"\ntls_key = "${key}"\n`)
    server = new ServerProcess(join(root, 'server'), toml)
    await server.start()
    const httpsBase = server.http.replace(/^http:/, 'https:')

    const health = await httpsGet(`${httpsBase}/health`, ca)
    assert.equal(health.status, 200)
    await assert.rejects(http('GET', `${server.http}/health`), 'plaintext HTTP is not served on the TLS port')

    const laptop = async () => {
      const p = await makeProject(`[cache]\ndir = ".fabrik/cache"\n\n[[upstream]]\nurl = "grpcs://127.0.0.1:${server!.grpcPort}"\ntimeout = "5s"\n`)
      projects.push(p)
      p.env.FABRIK_TOKEN = jwt
      p.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH = cert
      return p.startDaemon()
    }
    const a = await laptop()
    const body = randomBytes(50_000)
    const put = await http('PUT', `${a.http_url}/v1/cache/${sha(body)}`, body, { 'content-type': 'application/octet-stream' })
    assert.equal(put.status, 200, put.body.toString())
    await uploadsDrained(a.http_url)

    const b = await laptop()
    const got = await http('GET', `${b.http_url}/v1/cache/${sha(body)}`)
    assert.equal(got.status, 200, 'laptop B, with an empty cache, gets a hit from the regional tier over grpcs://')
    assert.ok(got.body.equals(body))

    const direct = await httpsGet(`${httpsBase}/v1/cache/${sha(body)}`, ca, { authorization: `Bearer ${jwt}` })
    assert.equal(direct.status, 200, 'the same entry over HTTPS, as CI would fetch it')
    assert.ok(direct.body.equals(body))
  })
})
