// A small WebAssembly binary encoder; see bytes.ts for why it is hand-written.
export { ByteWriter, nameSize, u32lebSize, utf8Length } from './bytes.js';
export { FunctionBuilder } from './code.js';
export { writePaddedS32, writePaddedU32 } from './padded-leb.js';
export { ConstExpr, writeConstExpr } from './const-expr.js';
export { WasmEncodeError } from './errors.js';
export type { WasmEncodeErrorCode } from './errors.js';
export { ModuleBuilder } from './module.js';
export type { ModuleBuilderOptions } from './module.js';
export {
  BlockType,
  ExternalKind,
  SectionId,
  ValType,
  writeFuncType,
  writeGlobalType,
  writeLimits,
  writeTableType,
  writeValTypes,
} from './types.js';
export type { FuncType, GlobalType, Limits, MemoryType, NumType, RefType, TableType } from './types.js';
