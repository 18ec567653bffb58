import { homedir } from 'node:os'
import { join } from 'node:path'

// The user's data dir for Fabrik (trust records, the P2P identity), computed from the environment it is given and
// the platform — never from which environment object it is. The shell hook restores the user's original
// environment into a copy (restoreOriginal) while `fabrik trust` and `init` pass process.env; both must land on
// the same file, or the hook never sees what `fabrik trust` recorded (as happened on macOS, where env-paths'
// default is not ~/.local/share). XDG_DATA_HOME wins on every platform, as it does for the state dir
// (daemon/identity.ts); otherwise the defaults are env-paths' (v4, `suffix: ''`), with HOME from the given env.

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'fabrik')
  const home = env.HOME || homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'fabrik')
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'fabrik', 'Data')
  return join(home, '.local', 'share', 'fabrik')
}
