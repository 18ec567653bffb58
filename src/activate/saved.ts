// What an activated shell remembers, in one exported variable so the hook's child process can read it:
// which project is active, the values Fabrik exported, and the values the user had before.
// Encoded as base64url JSON: no character in it needs quoting in bash, zsh or fish.

export const SAVED_VARIABLE = '__FABRIK_SAVED'

export interface SavedState {
  v: 1
  /** Daemon id of the active project. */
  id: string
  /** The fabrik.toml that activated it. */
  config: string
  /** contentHash of that file when it was activated: a different hash means it was edited. */
  hash?: string
  /** Set when the project is active but not acted on: its file is not trusted, or its daemon was stopped. */
  idle?: 'untrusted' | 'stopped'
  /** What Fabrik exported: name → value. */
  set: Record<string, string>
  /** The user's value of those names before activation; a name missing here was unset. */
  prev: Record<string, string>
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Keeps only variable-name keys with string values: the names end up in shell code. */
function strings(record: object): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([k, v]) => NAME_RE.test(k) && typeof v === 'string'))
}

export function encodeSaved(state: SavedState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url')
}

/** A missing or damaged value reads as "nothing active" rather than failing the user's prompt. */
export function decodeSaved(text: string | undefined): SavedState | undefined {
  if (!text) return undefined
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<SavedState>
    if (parsed.v !== 1 || typeof parsed.id !== 'string' || typeof parsed.config !== 'string') return undefined
    if (typeof parsed.set !== 'object' || parsed.set === null || typeof parsed.prev !== 'object' || parsed.prev === null) return undefined
    return {
      v: 1,
      id: parsed.id,
      config: parsed.config,
      ...(typeof parsed.hash === 'string' ? { hash: parsed.hash } : {}),
      ...(parsed.idle === 'untrusted' || parsed.idle === 'stopped' ? { idle: parsed.idle } : {}),
      set: strings(parsed.set),
      prev: strings(parsed.prev),
    }
  } catch {
    return undefined
  }
}

/**
 * The environment as the user had it before activation. A variable still holding the value Fabrik exported gets
 * its previous value back; one the user changed since keeps the user's value (theirs wins, now and on leaving).
 */
export function restoreOriginal(env: NodeJS.ProcessEnv, saved: SavedState | undefined): NodeJS.ProcessEnv {
  const original: NodeJS.ProcessEnv = { ...env }
  delete original[SAVED_VARIABLE]
  if (!saved) return original
  for (const [name, value] of Object.entries(saved.set)) {
    if (env[name] !== value) continue
    const prev = saved.prev[name]
    if (prev === undefined) delete original[name]
    else original[name] = prev
  }
  return original
}
