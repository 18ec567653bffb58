import type { FileHandle } from 'node:fs/promises'

/**
 * Writes every byte of `buffers` with as few writev calls as the kernel allows: at the file's current offset, or
 * from `position` on. writev may write less than asked (libuv caps the iovec count); this continues from where it
 * stopped.
 */
export async function writeFully(fh: FileHandle, buffers: Buffer[], position?: number): Promise<number> {
  let bufs = buffers
  let total = 0
  while (bufs.length > 0) {
    const { bytesWritten } = await (position === undefined ? fh.writev(bufs) : fh.writev(bufs, position + total))
    total += bytesWritten
    let skip = bytesWritten
    const rest: Buffer[] = []
    for (const b of bufs) {
      if (skip >= b.length) skip -= b.length
      else {
        rest.push(skip > 0 ? b.subarray(skip) : b)
        skip = 0
      }
    }
    bufs = rest
  }
  return total
}
