import { AsyncLocalStorage } from 'node:async_hooks'
import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { FabrikError } from '../errors/registry.js'
import type {
  EntryStat, GetOptions, GetResult, ListedEntry, LocalBlobStore, PutOptions, PutResult, StoreStats,
} from '../store/types.js'
import type { Principal } from './verify.js'

/** The principal of the request being served; set by the protocol's auth step around the handler. */
export const requestPrincipal = new AsyncLocalStorage<Principal>()

const PLAIN_TENANT = /^[A-Za-z0-9_-]{1,48}$/

/** The namespace segment of a tenant: readable when it can be, hashed otherwise (never ambiguous, always valid). */
export function tenantSegment(tenant: string): string {
  return PLAIN_TENANT.test(tenant) ? tenant : `h-${createHash('sha256').update(tenant).digest('hex').slice(0, 24)}`
}

/** Namespaces as stored: `t.<tenant>.<namespace>`, so one bucket and one disk hold many tenants apart. */
export function scopedNamespace(tenant: string, ns: string): string {
  return `t.${tenantSegment(tenant)}.${ns}`
}

/**
 * Every key the server stores or reads is scoped by the tenant of the verified token of the request — never by a
 * path, header or query. The protocol adapters stay as they are; this store puts the tenant in front of their
 * namespaces. A call outside an authenticated request is refused (a bug, never a shared keyspace).
 */
export class TenantStore implements LocalBlobStore {
  constructor(private readonly inner: LocalBlobStore) {}

  private tenant(): string {
    const principal = requestPrincipal.getStore()
    if (!principal) throw new FabrikError('UNAUTHENTICATED', 'no verified token for this request')
    return principal.tenant
  }

  private ns(ns: string): string {
    return scopedNamespace(this.tenant(), ns)
  }

  has(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    return this.inner.has(this.ns(ns), key, signal)
  }

  stat(ns: string, key: string, signal?: AbortSignal): Promise<EntryStat | undefined> {
    return this.inner.stat(this.ns(ns), key, signal)
  }

  get(ns: string, key: string, options?: GetOptions): Promise<GetResult | undefined> {
    return this.inner.get(this.ns(ns), key, options)
  }

  put(ns: string, key: string, body: Readable | Buffer, options?: PutOptions): Promise<PutResult> {
    return this.inner.put(this.ns(ns), key, body, options)
  }

  delete(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    return this.inner.delete(this.ns(ns), key, signal)
  }

  list(options?: { ns?: string; prefix?: string; limit?: number }): ListedEntry[] {
    return this.inner.list(options)
  }

  /**
   * The caller's tenant's figures only (FabrikCache.GetStats): a replica's totals would tell one tenant how much
   * every other tenant stores. Namespaces are given as the tenant names them, without the `t.<tenant>.` prefix.
   * max_bytes and evictions are the replica's own (a property of the disk, not of anyone's entries).
   */
  stats(): StoreStats {
    const prefix = scopedNamespace(this.tenant(), '')
    const all = this.inner.stats()
    const byNamespace: StoreStats['byNamespace'] = {}
    let entries = 0
    let bytes = 0
    for (const [ns, figures] of Object.entries(all.byNamespace)) {
      if (!ns.startsWith(prefix)) continue
      byNamespace[ns.slice(prefix.length)] = figures
      entries += figures.entries
      bytes += figures.bytes
    }
    return { entries, bytes, maxBytes: all.maxBytes, evictions: all.evictions, byNamespace }
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}

