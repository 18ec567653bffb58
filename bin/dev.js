#!/usr/bin/env node
// Development entry: runs the compiled tree like run.js but with oclif's development flag (no manifest cache).
import { execute } from '@oclif/core'

await execute({ development: true, dir: import.meta.url })
