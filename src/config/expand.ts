import { FabrikError } from '../errors/registry.js'

// Environment expansion in fabrik.toml, done on the text before TOML parsing — as upstream does, so an unquoted
// `port = ${PORT}` keeps working. Unlike upstream, comments are skipped (a `${VAR}` in a comment never fails a
// load) and a value placed inside a "..." string is escaped, so a secret holding `"` or `\` cannot break the file.
//
//   ${VAR}          the value; an error naming VAR and the file when VAR is unset (set-but-empty gives "")
//   ${VAR:-default} the default when VAR is unset OR empty (shell semantics); the default is expanded too
//   ${VAR-default}  the default only when VAR is unset (shell semantics)
//   $$              a literal $
//   $ otherwise     left as it is

type Context = 'bare' | 'basic' | 'literal' | 'ml-basic' | 'ml-literal'

export function expandEnv(text: string, env: NodeJS.ProcessEnv, file: string): string {
  let out = ''
  let ctx: Context = 'bare'
  let i = 0
  const line = (): number => text.slice(0, i).split('\n').length
  while (i < text.length) {
    const c = text[i] as string
    if (c === '$') {
      const [value, next] = substitute(text, i, env, { file, line: line() })
      out += inContext(value, ctx, file, line())
      i = next
      continue
    }
    if (ctx === 'bare' && c === '#') {
      const end = text.indexOf('\n', i)
      const stop = end === -1 ? text.length : end
      out += text.slice(i, stop)
      i = stop
      continue
    }
    if ((ctx === 'basic' || ctx === 'ml-basic') && c === '\\') {
      out += text.slice(i, i + 2)
      i += 2
      continue
    }
    const [nextCtx, step] = transition(ctx, text, i)
    ctx = nextCtx
    out += text.slice(i, i + step)
    i += step
  }
  return out
}

/** Tracks where we are in the TOML text (enough to skip comments and escape into strings); returns chars consumed. */
function transition(ctx: Context, text: string, i: number): [Context, number] {
  const c = text[i]
  const three = text.slice(i, i + 3)
  if (ctx === 'bare' && three === '"""') return ['ml-basic', 3]
  if (ctx === 'bare' && three === "'''") return ['ml-literal', 3]
  if ((ctx === 'ml-basic' && three === '"""') || (ctx === 'ml-literal' && three === "'''")) return ['bare', 3]
  if (ctx === 'bare' && c === '"') return ['basic', 1]
  if (ctx === 'bare' && c === "'") return ['literal', 1]
  if ((ctx === 'basic' && c === '"') || (ctx === 'literal' && c === "'")) return ['bare', 1]
  // An unterminated one-line string ends at the newline; the parser reports it.
  if ((ctx === 'basic' || ctx === 'literal') && c === '\n') return ['bare', 1]
  return [ctx, 1]
}

interface Where {
  file: string
  line: number
}

/** Expands the `$...` starting at `start`; returns the text it stands for and the index after it. */
function substitute(text: string, start: number, env: NodeJS.ProcessEnv, where: Where): [string, number] {
  const next = text[start + 1]
  if (next === '$') return ['$', start + 2]
  if (next !== '{') return ['$', start + 1]
  let depth = 1
  let end = start + 2
  for (; end < text.length && depth > 0; end++) {
    if (text[end] === '{') depth++
    else if (text[end] === '}') depth--
    else if (text[end] === '\n') break
  }
  if (depth !== 0) {
    throw new FabrikError('CONFIG_INVALID', `${where.file}:${where.line}: expected "}" to close "\${", got the end of the line`)
  }
  const body = text.slice(start + 2, end - 1)
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([\s\S]*))?$/.exec(body)
  if (m === null) {
    throw new FabrikError(
      'CONFIG_INVALID',
      `${where.file}:${where.line}: expected \${NAME}, \${NAME:-default} or \${NAME-default}, got "\${${body}}"`,
    )
  }
  const [, name = '', op, fallback = ''] = m
  const value = env[name]
  if (op === ':-' && (value === undefined || value === '')) return [expandPlain(fallback, env, where), end]
  if (op === '-' && value === undefined) return [expandPlain(fallback, env, where), end]
  if (value === undefined) {
    throw new FabrikError('CONFIG_ENV_UNSET', `${where.file}:${where.line}: environment variable ${name} is not set (used as \${${name}})`)
  }
  return [value, end]
}

/** A default is expanded with the same rules, with no TOML context of its own (it is escaped by the caller). */
function expandPlain(text: string, env: NodeJS.ProcessEnv, where: Where): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    if (text[i] !== '$') {
      out += text[i]
      i++
      continue
    }
    const [value, next] = substitute(text, i, env, where)
    out += value
    i = next
  }
  return out
}

function inContext(value: string, ctx: Context, file: string, line: number): string {
  if (ctx === 'basic' || ctx === 'ml-basic') {
    // Escape so the value stays inside its string, whatever it holds (quotes, backslashes, newlines).
    return [...value]
      .map((ch) => (ch === '\\' || ch === '"' || ch.charCodeAt(0) < 0x20 || ch === '\u007f' ? escapeChar(ch) : ch))
      .join('')
  }
  if (ctx === 'literal' && /['\n\r]/.test(value)) {
    throw new FabrikError(
      'CONFIG_INVALID',
      `${file}:${line}: expected a value a '...' string can hold, got one with a quote or newline (use "..." instead)`,
    )
  }
  return value
}

function escapeChar(ch: string): string {
  const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r' }
  return named[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
}
