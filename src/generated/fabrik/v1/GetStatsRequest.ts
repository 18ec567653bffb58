// Original file: protos/fabrik/v1/cache.proto


export interface GetStatsRequest {
}

export interface GetStatsRequest__Output {
}
