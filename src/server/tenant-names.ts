import { FabrikError } from '../errors/registry.js'
import { resourceInstance } from '../grpc/bytestream/resource-name.js'
import type { Principal } from '../auth/verify.js'

// Names a request may carry that look like a tenant: turbo's team (?slug= / ?teamId=) and REAPI instance names
// (`instance_name`, the prefix of a ByteStream resource name). Keys are scoped by the verified token's tenant
// whatever the request names (TenantStore); these checks make a request that names another tenant fail loudly
// instead of quietly reading and writing the token's own entries under that name.

/**
 * An instance name belongs to the tenant when it is empty, the tenant itself, or `<tenant>/<anything>` (REAPI
 * instance names are `/`-separated; a team keeps several caches apart with `--remote_instance_name=acme/ci`).
 */
export function instanceOfTenant(tenant: string, instance: string): boolean {
  return instance === '' || instance === tenant || instance.startsWith(`${tenant}/`)
}

export function checkInstance(principal: Principal, instance: string): void {
  if (instanceOfTenant(principal.tenant, instance)) return
  throw new FabrikError('PERMISSION_DENIED', `instance name ${JSON.stringify(instance.slice(0, 120))} is not tenant ${principal.tenant}'s`, {
    fix: `Use no instance name, or --remote_instance_name=${principal.tenant} (or ${principal.tenant}/<name>), or a token of that tenant.`,
  })
}

/** Checks the instance a gRPC message names, in either of the fields REAPI and ByteStream carry it in. */
export function checkMessageInstance(principal: Principal, message: unknown): void {
  if (typeof message !== 'object' || message === null) return
  const { instance_name: instance, resource_name: resource } = message as { instance_name?: unknown; resource_name?: unknown }
  if (typeof instance === 'string') checkInstance(principal, instance)
  if (typeof resource === 'string' && resource !== '') {
    const named = resourceInstance(resource)
    if (named !== undefined) checkInstance(principal, named)
  }
}

/**
 * turbo names its team in the query (slug=TURBO_TEAM, teamId=team_...): a team other than the token's tenant
 * (or `team_<tenant>`, the form TURBO_TEAMID must take) is refused.
 */
export function checkTeamQuery(principal: Principal, query: Record<string, unknown> | undefined): void {
  for (const name of ['slug', 'teamId'] as const) {
    const given = query?.[name]
    // A parameter repeated (?slug=a&slug=b) arrives as an array: every value must be the tenant's.
    for (const team of Array.isArray(given) ? given as unknown[] : [given]) {
      if (typeof team !== 'string' || team === '' || team === principal.tenant || team === `team_${principal.tenant}`) continue
      throw new FabrikError('PERMISSION_DENIED', `the token is for tenant ${principal.tenant}, not ${team}`, {
        fix: `Set TURBO_TEAM=${principal.tenant}, or use a token of ${team}.`,
      })
    }
  }
}
