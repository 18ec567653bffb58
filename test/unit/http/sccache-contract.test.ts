import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { listen, makeApp, send, sha256, type RawResponse, type TestApp } from './helpers.js'

// Replays what sccache's WebDAV backend (Apache OpenDAL) sends, with SCCACHE_WEBDAV_ENDPOINT=http://127.0.0.1:PORT/sccache/.
// No real sccache with WebDAV support runs on this machine (Debian's build has the remote backends compiled
// out), so this sequence is the contract: startup check, then for each object PROPFIND Depth: 0 on the parent
// directories, MKCOL, PUT, and later GET.

const PROPFIND_BODY = '<?xml version="1.0" encoding="utf-8" ?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>'

/** Checks what OpenDAL's deserializer needs from a 207 and returns the first entry's properties. */
function parseMultistatus(res: RawResponse): { href: string; collection: boolean; length?: number } {
  assert.equal(res.status, 207)
  assert.match(String(res.headers['content-type']), /xml/)
  const xml = res.body.toString()
  assert.match(xml, /^<\?xml[^>]*\?>\s*<D:multistatus xmlns:D="DAV:">/)
  const response = /<D:response>([\s\S]*?)<\/D:response>/.exec(xml)?.[1]
  assert.ok(response, 'a <D:response> element')
  const href = /<D:href>([^<]*)<\/D:href>/.exec(response)?.[1]
  assert.ok(href, 'an href')
  assert.match(response, /<D:propstat><D:prop>[\s\S]*<\/D:prop><D:status>HTTP\/1\.1 200 OK<\/D:status><\/D:propstat>/)
  const modified = /<D:getlastmodified>([^<]*)<\/D:getlastmodified>/.exec(response)?.[1]
  assert.ok(modified && !Number.isNaN(Date.parse(modified)), 'getlastmodified is an HTTP date')
  assert.match(modified, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/)
  const length = /<D:getcontentlength>(\d+)<\/D:getcontentlength>/.exec(response)?.[1]
  return { href, collection: /<D:resourcetype><D:collection\/><\/D:resourcetype>/.test(response), ...(length ? { length: Number(length) } : {}) }
}

describe('sccache WebDAV contract', () => {
  let t: TestApp
  let port: number
  const propfind = (path: string): Promise<RawResponse> =>
    send(port, 'PROPFIND', path, { depth: '0', 'content-type': 'application/xml', 'content-length': String(PROPFIND_BODY.length) }, Buffer.from(PROPFIND_BODY))

  before(async () => {
    t = await makeApp()
    port = await listen(t.app)
  })
  after(async () => {
    await t.app.close()
  })

  test('startup: GET .sccache_check misses, PUT "Hello, World!" succeeds, and reads back', async () => {
    assert.equal((await send(port, 'GET', '/sccache/.sccache_check')).status, 404)
    const root = parseMultistatus(await propfind('/sccache/'))
    assert.equal(root.collection, true)
    assert.equal(root.href, '/sccache/')
    const put = await send(port, 'PUT', '/sccache/.sccache_check', { 'content-length': '13' }, Buffer.from('Hello, World!'))
    assert.ok([200, 201, 204].includes(put.status), `PUT answered ${put.status}`)
    const get = await send(port, 'GET', '/sccache/.sccache_check')
    assert.equal(get.status, 200)
    assert.equal(get.body.toString(), 'Hello, World!')
  })

  const key = sha256('compiler invocation')
  const dir = `/sccache/${key[0]}/${key[1]}/${key[2]}/`
  const object = Buffer.from('compiled object file')

  test('write: PROPFIND Depth 0 on every parent directory answers a 207 collection', async () => {
    for (const path of [dir, `/sccache/${key[0]}/${key[1]}/`, `/sccache/${key[0]}/`, '/sccache/', '/sccache']) {
      const entry = parseMultistatus(await propfind(path))
      assert.equal(entry.collection, true, path)
      assert.equal(entry.href, path)
    }
  })

  test('write: MKCOL on each directory answers 201', async () => {
    for (const path of [`/sccache/${key[0]}/`, `/sccache/${key[0]}/${key[1]}/`, dir]) {
      assert.equal((await send(port, 'MKCOL', path)).status, 201, path)
    }
  })

  test('write then read: PUT the object, GET it back, PROPFIND shows a file with its length', async () => {
    const put = await send(port, 'PUT', dir + key, { 'content-length': String(object.length), 'content-type': 'application/octet-stream' }, object)
    assert.equal(put.status, 201)
    const get = await send(port, 'GET', dir + key)
    assert.equal(get.status, 200)
    assert.deepEqual(get.body, object)
    assert.equal(get.headers['content-length'], String(object.length))
    const file = parseMultistatus(await propfind(dir + key))
    assert.equal(file.collection, false)
    assert.equal(file.length, object.length)
  })

  test('a Range GET answers 206 with the requested bytes', async () => {
    const res = await send(port, 'GET', dir + key, { range: 'bytes=9-14' })
    assert.equal(res.status, 206)
    assert.equal(res.body.toString(), 'object')
    assert.equal(res.headers['content-range'], `bytes 9-14/${object.length}`)
    const suffix = await send(port, 'GET', dir + key, { range: 'bytes=-4' })
    assert.equal(suffix.body.toString(), 'file')
    const beyond = await send(port, 'GET', dir + key, { range: `bytes=${object.length}-` })
    assert.equal(beyond.status, 416)
  })

  test('an object that was never written is a 404 for GET and PROPFIND', async () => {
    const other = sha256('other')
    assert.equal((await send(port, 'GET', `/sccache/a/b/c/${other}`)).status, 404)
    assert.equal((await propfind(`/sccache/a/b/c/${other}`)).status, 404)
  })

  test('the same object name under two key prefixes are two entries', async () => {
    await send(port, 'PUT', `/sccache/prefix-a/1/2/3/${key}`, {}, Buffer.from('A'))
    await send(port, 'PUT', `/sccache/prefix-b/1/2/3/${key}`, {}, Buffer.from('B'))
    assert.equal((await send(port, 'GET', `/sccache/prefix-a/1/2/3/${key}`)).body.toString(), 'A')
    assert.equal((await send(port, 'GET', `/sccache/prefix-b/1/2/3/${key}`)).body.toString(), 'B')
  })

  test('HEAD and DELETE work on objects', async () => {
    const head = await send(port, 'HEAD', dir + key)
    assert.equal(head.status, 200)
    assert.equal(head.headers['content-length'], String(object.length))
    assert.equal((await send(port, 'DELETE', dir + key)).status, 204)
    assert.equal((await send(port, 'GET', dir + key)).status, 404)
  })

  test('dot segments, raw or percent-encoded, are refused with 400', async () => {
    for (const path of ['/sccache/a/%2E%2E/b', '/sccache/a/../b', '/sccache/./b']) {
      const res = await send(port, 'PUT', path, {}, Buffer.from('x'))
      assert.equal(res.status, 400, path)
      assert.equal(JSON.parse(res.body.toString()).code, 'INVALID_KEY')
    }
  })
})
