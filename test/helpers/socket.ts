import type { Socket } from 'node:net'

/** Resolves with how long the server took to close `socket` (its 'close'), or rejects after `limitMs`. */
export function closedWithin(socket: Socket, limitMs: number): Promise<number> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server kept the connection open for ${limitMs} ms`)), limitMs)
    socket.on('error', () => undefined)
    // Read whatever the server answers (a 408, HTTP/2 SETTINGS): a socket left paused never sees the server's FIN.
    socket.resume()
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(Date.now() - started)
    })
  })
}
