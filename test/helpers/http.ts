import { request } from 'node:http'

export interface HttpResult {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** A plain node:http request (no fetch: its Host handling and keep-alive pool hide what real clients do). */
export function http(method: string, url: string, body?: Buffer | string, headers: Record<string, string | number> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(url), { method, headers: body === undefined ? headers : { 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Sums a Prometheus counter across the label sets matching `labels` from a daemon's /metrics. */
export async function counter(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = (await http('GET', `${baseUrl}/metrics`)).body.toString()
  let total = 0
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue
    const ok = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))
    if (ok) total += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return total
}
