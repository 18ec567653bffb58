/** Protocol version announced in mDNS TXT and Hello. */
export const VERSION = '1'
