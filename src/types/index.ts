// The type model shared by the compiler, the linker and the loader.
export type {
  ArrayType,
  BoolType,
  BuiltinTypeName,
  FloatBits,
  FloatType,
  FnType,
  IntBits,
  IntType,
  NamedType,
  ParamType,
  SimdLanes,
  SimdType,
  StringType,
  TupleType,
  Type,
  TypeKind,
  UnitType,
  VarType,
} from './type.js';
export {
  T,
  array,
  builtinType,
  childTypes,
  containsParams,
  containsVars,
  float,
  fnType,
  freeVars,
  int,
  isConcrete,
  isFloat,
  isHeapType,
  isInteger,
  isNumeric,
  isReservedTypeName,
  isTypeName,
  isValidSimd,
  mapChildren,
  named,
  param,
  paramNames,
  simd,
  someType,
  substituteParams,
  tuple,
  typeEquals,
  typeKey,
  typeListEquals,
  typeVar,
} from './type.js';
export { ManglingError, TypeJsonError, TypeSyntaxError } from './errors.js';
export type { TypeJson } from './json.js';
export { MAX_TYPE_DEPTH, typeFromJson, typeToJson } from './json.js';
export type { ParseTypeOptions, PrintTypeOptions } from './syntax.js';
export { parseType, parseTypeList, parseTypeListIn, typeToCompactString, typeToString } from './syntax.js';
export type { DemangledName } from './mangle.js';
export { demangle, isInstanceSymbol, isMangledForm, mangle, normalizeSymbolName, readableInstanceName, readableName, symbolBase } from './mangle.js';
export { Substitution, TypeVarSupply } from './substitution.js';
export type { UnifyFailure, UnifyReason } from './unify.js';
export { UnifyError, instantiateParams, tryUnify, unify } from './unify.js';
export type { InferTypeArgsResult, TypeArgHint } from './infer.js';
export { inferTypeArgs } from './infer.js';
