// Only the namespaces teammates' build tools read are served to peers: the tools' own entries and the shared
// content-addressed `cas`. Anything else (e.g. `fabrik kv` entries) stays private to this machine.
const SHARED = new Set(['nx', 'gradle', 'cas', 'ccache', 'sccache', 'metro', 'xcode-kv', 'xcode-cas'])

export function isSharedNamespace(ns: string): boolean {
  return SHARED.has(ns) || ns.startsWith('turbo.') || ns === 'bazel-ac' || ns === 'ac' || ns.startsWith('ac.')
}
