import type { Readable, Writable } from 'node:stream'

/**
 * Feeds one readable into several writables at the pace of the slowest one still there. A writable that goes away
 * early (a client that hung up) is dropped and the others carry on; the source is destroyed only when none is left.
 * A source error is passed to every writable, so each one fails rather than ending short.
 */
export function fanOut(source: Readable, outs: Writable[]): void {
  const alive = new Set(outs)
  let waiting = 0
  const drop = (out: Writable) => {
    if (!alive.delete(out)) return
    if (alive.size === 0) source.destroy()
  }
  for (const out of outs) {
    out.once('close', () => {
      if (!out.writableFinished) drop(out)
    })
    // Errors of a writable are its reader's business (the adapter reports them); here it just leaves.
    out.on('error', () => drop(out))
  }
  source.on('data', (chunk: Buffer) => {
    for (const out of alive) {
      if (!out.write(chunk)) {
        waiting++
        source.pause()
        const resume = () => {
          out.off('drain', resume)
          out.off('close', resume)
          if (--waiting === 0) source.resume()
        }
        out.on('drain', resume)
        out.once('close', resume)
      }
    }
  })
  source.once('end', () => {
    for (const out of alive) out.end()
  })
  source.once('error', (err) => {
    for (const out of alive) out.destroy(err)
  })
  source.once('close', () => {
    // Destroyed without an error or an end (the last reader left): nothing more will come.
    if (!source.readableEnded) for (const out of alive) if (!out.destroyed && !out.writableEnded) out.destroy(new Error('the source closed early'))
  })
}
