import { readFileSync } from 'node:fs'

/** The token a daemon sends upstream, with upstream Fabrik's names: FABRIK_TOKEN, then [auth.token] env_var, then file. */
export function upstreamToken(auth: { env_var?: string; file?: string }, env: NodeJS.ProcessEnv = process.env): { token?: string; source: string } {
  if (env.FABRIK_TOKEN) return { token: env.FABRIK_TOKEN.trim(), source: 'FABRIK_TOKEN' }
  if (auth.env_var && env[auth.env_var]) return { token: env[auth.env_var]!.trim(), source: auth.env_var }
  if (auth.file) {
    try {
      return { token: readFileSync(auth.file, 'utf8').trim(), source: auth.file }
    } catch {
      return { source: `${auth.file} (unreadable)` }
    }
  }
  return { source: 'none' }
}
