// Single byte ranges ("bytes=a-b", "bytes=a-", "bytes=-n"), which OpenDAL sends for partial reads. Multiple
// ranges are ignored (the whole entry is sent, as RFC 9110 allows).

export type RangeResult = { offset: number; length: number } | 'unsatisfiable' | undefined

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return undefined
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m) return undefined
  const [, a = '', b = ''] = m
  if (a === '' && b === '') return undefined
  if (a === '') {
    const n = Math.min(Number(b), size)
    if (n === 0) return 'unsatisfiable'
    return { offset: size - n, length: n }
  }
  const start = Number(a)
  if (start >= size) return 'unsatisfiable'
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1)
  if (end < start) return undefined
  return { offset: start, length: end - start + 1 }
}
