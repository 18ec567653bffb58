// Where each client puts its token: Bearer in HTTP (turbo's TURBO_TOKEN, nx's access token, Bazel's
// --remote_header), the Basic password for Gradle (it only speaks Basic), `authorization` metadata in gRPC.

/** The token in an Authorization header value, or undefined. */
export function tokenFromAuthorization(value: string | string[] | undefined): string | undefined {
  const header = Array.isArray(value) ? value[0] : value
  if (!header) return undefined
  const space = header.indexOf(' ')
  if (space < 0) return undefined
  const scheme = header.slice(0, space).toLowerCase()
  const rest = header.slice(space + 1).trim()
  if (scheme === 'bearer') return rest || undefined
  if (scheme === 'basic') {
    const decoded = Buffer.from(rest, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    const password = colon < 0 ? '' : decoded.slice(colon + 1)
    return password || undefined
  }
  return undefined
}
