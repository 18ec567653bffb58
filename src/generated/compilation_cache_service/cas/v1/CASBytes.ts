// Original file: protos/compilation_cache_service/compilation_caching_cas.proto


export interface CASBytes {
  'data'?: (Buffer | Uint8Array | string);
  'file_path'?: (string);
  'contents'?: "data"|"file_path";
}

export interface CASBytes__Output {
  'data'?: (Buffer);
  'file_path'?: (string);
  'contents'?: "data"|"file_path";
}
