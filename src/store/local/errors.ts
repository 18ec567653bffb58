import { FabrikError, isFabrikError } from '../../errors/registry.js'

/** ENOSPC / EDQUOT from the file system, SQLITE_FULL from the index: the disk is full, not a bug. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return true
  return err instanceof Error && err.cause !== undefined && err.cause !== err && isDiskFull(err.cause)
}

export function ioError(what: string, err: unknown): FabrikError {
  if (isDiskFull(err)) {
    return new FabrikError('STORE_FULL', `${what}: the disk holding the cache is full (${(err as Error).message})`, { cause: err })
  }
  return new FabrikError('STORE_IO', `${what}: ${(err as Error).message}`, { cause: err })
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new FabrikError('ABORTED', 'the request was cancelled', { cause: signal.reason })
}

/** Maps anything the store can throw to the registry: store failures are STORE_IO, cancellations ABORTED. */
export function mapError(err: unknown): FabrikError {
  if (isFabrikError(err)) return err
  const e = err as NodeJS.ErrnoException
  if (e?.name === 'AbortError' || e?.code === 'ABORT_ERR') {
    return new FabrikError('ABORTED', 'the request was cancelled', { cause: err })
  }
  // A body that ends before its declared end (the client hung up) is a cancellation, not a disk problem.
  if (e?.code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new FabrikError('ABORTED', 'the request body ended early', { cause: err })
  }
  return ioError('cache store failure', err)
}
