// Original file: protos/fabrik/v1/cache.proto


export interface EntryRef {
  'namespace'?: (string);
  'key'?: (string);
}

export interface EntryRef__Output {
  'namespace': (string);
  'key': (string);
}
