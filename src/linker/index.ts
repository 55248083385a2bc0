// The linker's public API: the settlement linker and the ObjTaker it shares with the loader.
export { link, DEFAULT_MAX_DEPTH } from './link.js';
export type { LinkOptions, LinkResult, LinkStats } from './link.js';
export { INSTANTIATE_POLICIES } from './instantiate.js';
export type { InstantiatePolicy } from './instantiate.js';
export { LinkInputError } from './errors.js';
export { openObjModule, readObjModule, registerMember } from './obj-module.js';
export type { LinkInput, ObjModule, ObjMember } from './obj-module.js';
export { ObjTaker, DEFAULT_OBJ_TAKER_CONFIG } from './obj-taker.js';
export type { ObjTakerConfig, ObjTakerStats, TakeResult, TakenCode, TakeErrorCode } from './obj-taker.js';
export { resolveHint, usageHints } from './hints.js';
export type { HintResolution, UsageHint } from './hints.js';
