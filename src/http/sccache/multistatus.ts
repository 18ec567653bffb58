// The smallest 207 Multi-Status body a WebDAV client accepts for PROPFIND Depth: 0. sccache talks WebDAV through
// Apache OpenDAL, which deserializes multistatus > response > {href, propstat > {prop, status}} and requires
// getlastmodified (RFC 2822 date) on every entry and getcontentlength on files; <resourcetype><collection/>
// marks a directory.

export interface DavEntry {
  href: string
  collection: boolean
  size?: number
  modified: Date
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export function multistatus(entries: readonly DavEntry[]): string {
  const responses = entries.map((e) => {
    const type = e.collection ? '<D:resourcetype><D:collection/></D:resourcetype>' : '<D:resourcetype/>'
    const length = e.collection || e.size === undefined ? '' : `<D:getcontentlength>${e.size}</D:getcontentlength>`
    return (
      `<D:response><D:href>${escapeXml(e.href)}</D:href><D:propstat><D:prop>` +
      `<D:getlastmodified>${e.modified.toUTCString()}</D:getlastmodified>${length}${type}` +
      `</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`
    )
  })
  return `<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">${responses.join('')}</D:multistatus>\n`
}
