import { FabrikError } from '../../errors/registry.js'

// Turborepo scopes artifacts by team. turbo sends `slug=<TURBO_TEAM>` whenever TURBO_TEAM is set and
// `teamId=<TURBO_TEAMID>` only when it starts with "team_" (crates/turborepo-api-client). teamId, when present,
// is the stable identity, so it wins; otherwise the slug. Each team gets its own namespace "turbo.<team>",
// so team A can never read team B's artifacts.

export interface TeamQuery {
  slug?: string
  teamId?: string
}

const TEAM_RE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,119}$/

export function teamNamespace(query: TeamQuery): string {
  const team = typeof query.teamId === 'string' && query.teamId !== '' ? query.teamId : query.slug
  if (typeof team !== 'string' || team === '') {
    throw new FabrikError('INVALID_REQUEST', 'turbo requests need a team: set TURBO_TEAM (sent as ?slug=) or TURBO_TEAMID (?teamId=team_...)')
  }
  if (!TEAM_RE.test(team) || team.includes('..')) {
    throw new FabrikError('INVALID_REQUEST', `turbo team ${JSON.stringify(team.slice(0, 80))} must be 1-120 characters from [A-Za-z0-9._-]`)
  }
  return `turbo.${team}`
}
