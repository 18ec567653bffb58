// Original file: protos/fabrik/p2p/v1/p2p.proto


export interface HelloResponse {
  'proof'?: (string);
  'machine_id'?: (string);
  'hostname'?: (string);
  'version'?: (string);
  'consent'?: (string);
}

export interface HelloResponse__Output {
  'proof': (string);
  'machine_id': (string);
  'hostname': (string);
  'version': (string);
  'consent': (string);
}
