import { request } from 'node:http'

/** GET http://127.0.0.1:port/path → status and parsed JSON body (or undefined when unreachable). */
export function probe(port: number, path: string, timeoutMs = 1000): Promise<{ status: number; body: unknown } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let body: unknown = text
        try {
          body = JSON.parse(text)
        } catch {
          // not JSON (e.g. /metrics)
        }
        resolve({ status: res.statusCode ?? 0, body })
      })
      res.on('error', () => resolve(undefined))
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(undefined))
    req.end()
  })
}
