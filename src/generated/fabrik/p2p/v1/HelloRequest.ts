// Original file: protos/fabrik/p2p/v1/p2p.proto


export interface HelloRequest {
  'challenge'?: (string);
  'hostname'?: (string);
  'version'?: (string);
}

export interface HelloRequest__Output {
  'challenge': (string);
  'hostname': (string);
  'version': (string);
}
