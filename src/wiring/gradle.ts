import { mkdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { writeAtomic } from '../daemon/state.js'

// Stock Gradle reads no environment variable for its build cache: the URL must come from settings.gradle or an
// init script. Every *.gradle file in <Gradle user home>/init.d runs before each build, so one script installed
// once makes an unmodified settings.gradle use the daemon — but only when GRADLE_BUILD_CACHE_URL is set (by
// activation or `fabrik exec`); in any other shell it does nothing.
//
// Written in Groovy that Gradle 4.4 and current Gradle both accept:
// - startParameter.buildCacheEnabled = true is what --build-cache / org.gradle.caching=true set; without it
//   Gradle ignores the buildCache block.
// - settingsEvaluated runs after settings.gradle, so this remote wins over one configured there.
// - The local directory cache is turned off: the daemon already is a local disk cache, a second copy of every
//   entry under ~/.gradle would only cost disk, and every hit is then counted by the daemon.
// - allowInsecureProtocol exists from Gradle 6.0 on (older versions fail on an unknown property). 127.0.0.1
//   counts as secure anyway; the guard keeps a user-edited http://localhost URL working.

export const GRADLE_SCRIPT_NAME = 'fabrik.gradle'
const MARKER = '// fabrik-init-script v1'

export const GRADLE_INIT_SCRIPT = `${MARKER}
// Installed by Fabrik (fabrik init, fabrik doctor --fix, or the first activation of a project with gradle
// enabled). Points Gradle's remote HTTP build cache at the project's Fabrik daemon when GRADLE_BUILD_CACHE_URL is
// set (fabrik activate / fabrik exec set it); does nothing otherwise. Delete this file to turn it off for good.
def fabrikCacheUrl = System.getenv('GRADLE_BUILD_CACHE_URL')
if (fabrikCacheUrl) {
  gradle.startParameter.buildCacheEnabled = true
  gradle.settingsEvaluated { settings ->
    settings.buildCache {
      local {
        enabled = false
      }
      remote(HttpBuildCache) {
        url = fabrikCacheUrl
        push = true
        if (delegate.hasProperty('allowInsecureProtocol')) {
          allowInsecureProtocol = true
        }
      }
    }
  }
}
`

/** ${GRADLE_USER_HOME:-~/.gradle}, as Gradle resolves it. */
export function gradleUserHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.GRADLE_USER_HOME || join(homedir(), '.gradle')
}

export function gradleInitScriptPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(gradleUserHome(env), 'init.d', GRADLE_SCRIPT_NAME)
}

export type ScriptStatus = 'current' | 'missing' | 'outdated'

export function gradleInitScriptStatus(env: NodeJS.ProcessEnv = process.env): ScriptStatus {
  try {
    return readFileSync(gradleInitScriptPath(env), 'utf8') === GRADLE_INIT_SCRIPT ? 'current' : 'outdated'
  } catch {
    return 'missing'
  }
}

/**
 * Writes the script unless it is already current; returns whether anything changed. With `replace: false` (the
 * activation path) an existing file — perhaps edited by the user — is left alone; init and doctor --fix replace.
 */
export function installGradleInitScript(env: NodeJS.ProcessEnv = process.env, options: { replace?: boolean } = {}): boolean {
  const status = gradleInitScriptStatus(env)
  if (status === 'current' || (status === 'outdated' && options.replace === false)) return false
  const path = gradleInitScriptPath(env)
  mkdirSync(dirname(path), { recursive: true })
  writeAtomic(path, GRADLE_INIT_SCRIPT)
  return true
}
