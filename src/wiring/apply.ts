import type { BuildSystem, FabrikConfig } from '../config/types.js'
import { addTryImport, findBazelWorkspace, tryImportLine } from './bazel.js'
import { gradleInitScriptPath, gradleInitScriptStatus, installGradleInitScript } from './gradle.js'

// What `fabrik init` sets up besides fabrik.toml, for the tools that read no environment variable: Gradle's
// init script and the try-import in Bazel's workspace .bazelrc. Every step checks before it writes, so running
// it again reports "unchanged" and touches nothing. Tools that read variables (turbo, nx, ccache, sccache,
// Bazel >= 9) need no file: activation and `fabrik exec` export them.

export interface Change {
  tool: BuildSystem
  path: string
  action: 'created' | 'updated' | 'unchanged' | 'skipped'
  detail: string
}

export async function applyWiring(
  projectDir: string,
  config: Pick<FabrikConfig, 'build_systems'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Change[]> {
  const enabled = new Set(config.build_systems.enabled)
  const changes: Change[] = []
  if (enabled.has('gradle')) {
    const path = gradleInitScriptPath(env)
    const before = gradleInitScriptStatus(env)
    const changed = installGradleInitScript(env, { replace: true })
    changes.push({
      tool: 'gradle',
      path,
      action: !changed ? 'unchanged' : before === 'missing' ? 'created' : 'updated',
      detail: 'init script: remote build cache when GRADLE_BUILD_CACHE_URL is set',
    })
  }
  if (enabled.has('bazel')) {
    const workspace = findBazelWorkspace(projectDir)
    if (!workspace) {
      changes.push({ tool: 'bazel', path: projectDir, action: 'skipped', detail: 'no WORKSPACE or MODULE.bazel at or above this folder' })
    } else {
      const changed = addTryImport(workspace, projectDir)
      changes.push({
        tool: 'bazel',
        path: `${workspace}/.bazelrc`,
        action: changed ? 'updated' : 'unchanged',
        detail: tryImportLine(workspace, projectDir),
      })
    }
  }
  return changes
}
