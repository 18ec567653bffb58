// Original file: protos/fabrik/p2p/v1/p2p.proto


export interface Key {
  'namespace'?: (string);
  'key'?: (string);
}

export interface Key__Output {
  'namespace': (string);
  'key': (string);
}
