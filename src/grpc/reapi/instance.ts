import { createHash } from 'node:crypto'

/**
 * REAPI instance names scope the action cache: the same action digest under two instances are two entries.
 * Namespaces allow only [A-Za-z0-9._:-], so a simple instance name is used as it is ("ac.main") and anything else
 * ("team/linux", names with "..", long names) becomes "ac.h:" + a SHA-256 prefix of the name. The ':' can never
 * appear in the plain form, so the two forms cannot collide.
 */
export function acNamespace(instance: string): string {
  if (instance === '') return 'ac'
  const plain = `ac.${instance}`
  if (/^[A-Za-z0-9._-]{1,100}$/.test(instance) && !plain.includes('..')) return plain
  return `ac.h:${createHash('sha256').update(instance, 'utf8').digest('hex').slice(0, 40)}`
}
